using System.Security.Cryptography;

namespace Amrs.Core.Audit;

/// <summary>
/// Verifies a whole chain, entry by entry, in sequence order: the sequence starts right after the anchor
/// (1 for a full chain) with no gaps or reorders, every hash is recomputed from the content, and every entry
/// links to the hash before it. Stops at the first failure and names it.
/// <para>
/// Use the static <see cref="Verify(IEnumerable{AuditEntry}, AuditChainHead?)"/> /
/// <see cref="VerifyAsync(IAsyncEnumerable{AuditEntry}, AuditChainHead?, CancellationToken)"/> for a stream
/// (for example an EF query ordered by sequence, read with <c>AsAsyncEnumerable()</c>), or feed an instance with
/// <see cref="Add(AuditEntry)"/> and call <see cref="Complete"/>. An instance reuses one buffer and is not thread-safe.
/// </para>
/// </summary>
public sealed class AuditChainVerifier
{
    private const int HexHashLength = SHA256.HashSizeInBytes * 2;

    private byte[] _buffer = new byte[2048];
    private AuditChainHead _head;
    private long _position;
    private long _verified;
    private AuditChainBreak? _break;

    // An entry whose sequence jumped ahead: whether that is a gap or a reorder depends on the entry after it.
    private (long Position, long Sequence, long Expected)? _jump;

    /// <summary>Verifies a chain from its first entry.</summary>
    public AuditChainVerifier()
        : this(AuditChainHead.Genesis)
    {
    }

    /// <summary>
    /// Verifies the part of a chain after a trusted anchor (for example the head recorded by the last full
    /// verification or printed on the last export), so a long trail can be checked in parts.
    /// </summary>
    public AuditChainVerifier(AuditChainHead start)
    {
        if (start.Sequence < 0 || !AuditChain.IsHash(start.Hash))
            throw new ArgumentException("The anchor is not a sequence and a 64-character lower-case hex hash.", nameof(start));
        _head = start;
    }

    /// <summary>Whether a failure has been found (further entries are ignored).</summary>
    public bool IsBroken => _break is not null;

    public static AuditChainVerification Verify(IEnumerable<AuditEntry> entries, AuditChainHead? start = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var verifier = new AuditChainVerifier(start ?? AuditChainHead.Genesis);
        foreach (var entry in entries)
        {
            if (!verifier.Add(entry))
                break;
        }
        return verifier.Complete();
    }

    public static async Task<AuditChainVerification> VerifyAsync(
        IAsyncEnumerable<AuditEntry> entries,
        AuditChainHead? start = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var verifier = new AuditChainVerifier(start ?? AuditChainHead.Genesis);
        await foreach (var entry in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (!verifier.Add(entry))
                break;
        }
        return verifier.Complete();
    }

    /// <summary>Checks the next entry. Returns false once the chain is known to be broken (stop feeding then).</summary>
    public bool Add(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_break is not null)
            return false;
        _position++;

        if (_jump is { } jump)
        {
            _break = entry.Sequence < jump.Sequence
                ? new AuditChainBreak(jump.Position, jump.Sequence, AuditChainFault.Reorder,
                    $"Entry {jump.Sequence} is out of order: it comes before entry {entry.Sequence}.")
                : GapBreak(jump.Position, jump.Sequence, jump.Expected);
            return false;
        }

        var expected = _head.Sequence + 1;
        if (entry.Sequence > expected)
        {
            _jump = (_position, entry.Sequence, expected);
            return true;
        }
        if (entry.Sequence < expected)
        {
            _break = entry.Sequence == _head.Sequence && entry.Sequence > 0
                ? new AuditChainBreak(_position, entry.Sequence, AuditChainFault.Duplicate,
                    $"Sequence {entry.Sequence} appears twice: an entry was inserted or copied.")
                : new AuditChainBreak(_position, entry.Sequence, AuditChainFault.Reorder,
                    $"Entry {entry.Sequence} is out of order: entry {expected} was expected here.");
            return false;
        }

        if (!HashMatches(entry))
        {
            _break = new AuditChainBreak(_position, entry.Sequence, AuditChainFault.ContentChanged,
                $"Entry {entry.Sequence} was changed after it was recorded: its content no longer matches its hash.");
            return false;
        }
        if (!string.Equals(entry.PreviousHash, _head.Hash, StringComparison.Ordinal))
        {
            _break = new AuditChainBreak(_position, entry.Sequence, AuditChainFault.LinkBroken,
                _head.Sequence == 0 && _head.Hash == AuditChain.GenesisHash
                    ? $"Entry {entry.Sequence} does not link to the start of the chain: entries before it were removed or rewritten."
                    : $"Entry {entry.Sequence} does not link to entry {_head.Sequence}: entry {_head.Sequence} (or one before it) was rewritten, or an entry between them was removed and the rest renumbered.");
            return false;
        }

        _head = entry.Head;
        _verified++;
        return true;
    }

    /// <summary>Ends the stream and returns the result.</summary>
    public AuditChainVerification Complete()
    {
        if (_break is null && _jump is { } jump)
            _break = GapBreak(jump.Position, jump.Sequence, jump.Expected);
        return new AuditChainVerification(_verified, _head, _break);
    }

    private static AuditChainBreak GapBreak(long position, long sequence, long expected) =>
        new(position, sequence, AuditChainFault.Gap, sequence == expected + 1
            ? $"Entry {expected} is missing: entry {sequence} follows entry {expected - 1}."
            : $"Entries {expected} to {sequence - 1} are missing: entry {sequence} follows entry {expected - 1}.");

    private bool HashMatches(AuditEntry entry)
    {
        if (entry.Hash is null || entry.Hash.Length != HexHashLength)
            return false;

        var needed = AuditCanonicalForm.MaxLength(entry);
        if (needed > _buffer.Length)
            _buffer = new byte[Math.Max(needed, _buffer.Length * 2)];
        var length = AuditCanonicalForm.Write(entry, _buffer);
        if (length < 0)
            return false;

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(_buffer.AsSpan(0, length), hash);
        Span<char> hex = stackalloc char[HexHashLength];
        Convert.TryToHexStringLower(hash, hex, out _);
        return hex.SequenceEqual(entry.Hash);
    }
}
