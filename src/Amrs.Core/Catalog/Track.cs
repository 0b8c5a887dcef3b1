namespace Amrs.Core.Catalog;

/// <summary>
/// A track of the music catalog. Valence and arousal (0..1) are the track's own affect as rated by listeners;
/// everything after them is optional and stays null when unknown (never invented).
/// </summary>
public sealed record Track(
    string TrackId,
    string Title,
    string Artist,
    double Valence,
    double Arousal,
    int? Year = null,
    string? Genre = null,
    double? DurationSeconds = null,
    AudioDescriptors? Audio = null)
{
    public AudioDescriptors AudioOrUnknown => Audio ?? AudioDescriptors.Unknown;
}

/// <summary>Audio descriptors in the usual 0..1 scales (tempo in BPM, loudness in dB); null when unknown.</summary>
public sealed record AudioDescriptors(
    double? Energy = null,
    double? Tempo = null,
    double? Acousticness = null,
    double? Instrumentalness = null,
    double? Danceability = null,
    double? Loudness = null,
    // 1 for major, 0 for minor.
    int? Mode = null)
{
    public static readonly AudioDescriptors Unknown = new();
}
