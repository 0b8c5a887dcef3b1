using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amrs.Core.Affect;

namespace Amrs.Core.Ethics;

/// <summary>
/// The approval binding hash: SHA-256 (lower-case hex) of the canonical content of what a clinician signs, so a
/// signature cannot be carried over to other content (21 CFR 11.70) and any change after signing is seen.
/// <para>
/// Canonical content, version 1: netstring fields (<c>&lt;UTF-8 byte length&gt;:&lt;bytes&gt;,</c>; null as <c>-1:,</c>) in this order:
/// the tag <c>amrs-approval/1</c>; playlist id; patient id; mode (<c>clinical</c>, <c>energize</c>, <c>focus</c>,
/// <c>calm</c>, <c>sleep</c>); target valence and target arousal (round-trip invariant decimals, or null);
/// profile version; the number of model versions, then each, sorted ordinally; the number of tracks, then each
/// track id in playing order. Text is UTF-8 without normalisation; text that is not valid UTF-16 is refused.
/// </para>
/// </summary>
public static class ApprovalBinding
{
    public const string FormatTag = "amrs-approval/1";

    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Compute(BoundPlaylist playlist)
    {
        ArgumentNullException.ThrowIfNull(playlist);
        return Compute(playlist.PlaylistId, playlist.PatientId, playlist.Mode, playlist.Target, playlist.ProfileVersion,
            playlist.ModelVersions, playlist.TrackIds);
    }

    /// <exception cref="ArgumentException">Some text is not valid UTF-16, or a target coordinate is not finite.</exception>
    public static string Compute(
        string playlistId,
        string patientId,
        SessionMode mode,
        AffectPoint? target,
        string profileVersion,
        IEnumerable<string> modelVersions,
        IEnumerable<string> trackIds)
    {
        ArgumentNullException.ThrowIfNull(playlistId);
        ArgumentNullException.ThrowIfNull(patientId);
        ArgumentNullException.ThrowIfNull(profileVersion);
        ArgumentNullException.ThrowIfNull(modelVersions);
        ArgumentNullException.ThrowIfNull(trackIds);

        var content = CanonicalContent(playlistId, patientId, mode, target, profileVersion, modelVersions, trackIds);
        return Convert.ToHexStringLower(SHA256.HashData(content));
    }

    /// <summary>The bytes that are hashed, for inspection and tests.</summary>
    public static byte[] CanonicalContent(
        string playlistId,
        string patientId,
        SessionMode mode,
        AffectPoint? target,
        string profileVersion,
        IEnumerable<string> modelVersions,
        IEnumerable<string> trackIds)
    {
        var sortedModels = modelVersions.ToArray();
        Array.Sort(sortedModels, StringComparer.Ordinal);
        var tracks = trackIds.ToArray();

        var writer = new ArrayBufferWriter<byte>(512);
        Text(writer, FormatTag);
        Text(writer, playlistId);
        Text(writer, patientId);
        Text(writer, ModeName(mode));
        Text(writer, target is { } t ? Number(t.Valence) : null);
        Text(writer, target is { } u ? Number(u.Arousal) : null);
        Text(writer, profileVersion);
        Text(writer, sortedModels.Length.ToString(CultureInfo.InvariantCulture));
        foreach (var model in sortedModels)
            Text(writer, model ?? throw new ArgumentException("A model version is null.", nameof(modelVersions)));
        Text(writer, tracks.Length.ToString(CultureInfo.InvariantCulture));
        foreach (var track in tracks)
            Text(writer, track ?? throw new ArgumentException("A track id is null.", nameof(trackIds)));
        return writer.WrittenSpan.ToArray();
    }

    private static string ModeName(SessionMode mode) => mode switch
    {
        SessionMode.Clinical => "clinical",
        SessionMode.Energize => "energize",
        SessionMode.Focus => "focus",
        SessionMode.Calm => "calm",
        SessionMode.Sleep => "sleep",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown session mode."),
    };

    private static string Number(double value) => double.IsFinite(value)
        ? value.ToString("R", CultureInfo.InvariantCulture)
        : throw new ArgumentException("A target coordinate is not a finite number.", nameof(value));

    private static void Text(ArrayBufferWriter<byte> writer, string? value)
    {
        if (value is null)
        {
            writer.Write("-1:,"u8);
            return;
        }

        byte[] bytes;
        try
        {
            bytes = _strictUtf8.GetBytes(value);
        }
        catch (EncoderFallbackException error)
        {
            throw new ArgumentException("Text of the playlist is not valid UTF-16.", error);
        }
        writer.Write(Encoding.ASCII.GetBytes(bytes.Length.ToString(CultureInfo.InvariantCulture)));
        writer.Write(":"u8);
        writer.Write(bytes);
        writer.Write(","u8);
    }
}
