using System.Buffers;
using System.Security.Cryptography;

namespace Amrs.Core.Audit;

/// <summary>
/// The hash chain of the audit trail, as pure functions. Each entry's <see cref="AuditEntry.Hash"/> is the
/// SHA-256 of its canonical content, which includes its sequence and the previous entry's hash, so changing,
/// removing, inserting or reordering any entry breaks the chain from that point on.
/// <para>
/// The store appends by reading the head (the last entry's sequence and hash), sealing the draft onto it and
/// inserting the result; a unique index on the sequence makes a concurrent append fail instead of forking the
/// chain (retry by reading the head again).
/// </para>
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first entry: 64 zeros.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The version tag at the start of the canonical content; see <see cref="CanonicalContent(AuditEntry)"/>.</summary>
    public const string FormatTag = AuditCanonicalForm.FormatTag;

    /// <summary>Seals a draft as the next entry after <paramref name="previous"/> (null for the first entry).</summary>
    public static AuditEntry Seal(AuditDraft draft, AuditEntry? previous) =>
        Seal(draft, previous?.Head ?? AuditChainHead.Genesis);

    /// <summary>
    /// Seals a draft as the entry after <paramref name="head"/>: sequence <c>head.Sequence + 1</c>, time cut to whole
    /// milliseconds in UTC, previous hash = <c>head.Hash</c>, and its own hash.
    /// </summary>
    /// <exception cref="ArgumentException">A required field is empty, the details are not a JSON object, or some text is not valid UTF-16.</exception>
    public static AuditEntry Seal(AuditDraft draft, AuditChainHead head)
    {
        ArgumentNullException.ThrowIfNull(draft);
        Require(draft.ActorId, nameof(draft.ActorId));
        ArgumentNullException.ThrowIfNull(draft.ActorName);
        ArgumentNullException.ThrowIfNull(draft.ActorRole);
        Require(draft.Action, nameof(draft.Action));
        Require(draft.EntityType, nameof(draft.EntityType));
        ArgumentNullException.ThrowIfNull(draft.EntityId);
        if (!Enum.IsDefined(draft.Outcome))
            throw new ArgumentException($"Unknown outcome {draft.Outcome}.", nameof(draft));
        if (draft.Details is null || !AuditDetails.IsJsonObject(draft.Details))
            throw new ArgumentException("Details must be a JSON object (use AuditDetails.Empty for none).", nameof(draft));
        if (head.Sequence < 0 || !IsHash(head.Hash))
            throw new ArgumentException("The head is not a sequence and a 64-character lower-case hex hash.", nameof(head));

        var unsealed = new AuditEntry(
            head.Sequence + 1,
            ToCanonicalTime(draft.RecordedAt),
            draft.ActorId,
            draft.ActorName,
            draft.ActorRole,
            draft.Action,
            draft.EntityType,
            draft.EntityId,
            draft.PatientId,
            draft.Outcome,
            draft.Details,
            head.Hash,
            Hash: string.Empty);
        return unsealed with { Hash = ComputeHash(unsealed) ?? throw new ArgumentException("Some text of the draft is not valid UTF-16.", nameof(draft)) };
    }

    /// <summary>The instant as the chain keeps it: UTC, cut (not rounded) to whole milliseconds.</summary>
    public static DateTimeOffset ToCanonicalTime(DateTimeOffset instant) =>
        DateTimeOffset.FromUnixTimeMilliseconds(instant.ToUnixTimeMilliseconds());

    /// <summary>The canonical content of an entry (the bytes that are hashed), or null if some text is not valid UTF-16.</summary>
    public static byte[]? CanonicalContent(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var buffer = ArrayPool<byte>.Shared.Rent(AuditCanonicalForm.MaxLength(entry));
        try
        {
            var length = AuditCanonicalForm.Write(entry, buffer);
            return length < 0 ? null : buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Lower-case hex SHA-256 of the canonical content (the stored <see cref="AuditEntry.Hash"/> is ignored), or null if it has none.</summary>
    public static string? ComputeHash(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var buffer = ArrayPool<byte>.Shared.Rent(AuditCanonicalForm.MaxLength(entry));
        try
        {
            var length = AuditCanonicalForm.Write(entry, buffer);
            if (length < 0)
                return null;
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, length), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Whether a hash has the form the chain writes: 64 lower-case hex digits.</summary>
    public static bool IsHash(string? value)
    {
        if (value is null || value.Length != SHA256.HashSizeInBytes * 2)
            return false;
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
                return false;
        }
        return true;
    }

    private static void Require(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"{name} is required.", name);
    }
}
