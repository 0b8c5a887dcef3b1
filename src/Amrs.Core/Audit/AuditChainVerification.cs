namespace Amrs.Core.Audit;

/// <summary>The result of verifying a chain: how many entries passed and, if the chain is broken, where first.</summary>
/// <param name="VerifiedCount">Entries that passed every check, from the start up to the first break.</param>
/// <param name="Head">The last verified entry's sequence and hash (the start anchor if none passed).</param>
/// <param name="FirstBreak">The first failure, or null when every entry passed.</param>
public sealed record AuditChainVerification(long VerifiedCount, AuditChainHead Head, AuditChainBreak? FirstBreak)
{
    public bool IsIntact => FirstBreak is null;

    public override string ToString() => FirstBreak is null
        ? $"Audit chain intact: {VerifiedCount} entries verified."
        : $"Audit chain broken after {VerifiedCount} verified entries: {FirstBreak.Reason}";
}

/// <summary>The first entry at which verification failed.</summary>
/// <param name="Position">1-based position of the entry in the verified stream.</param>
/// <param name="Sequence">The sequence number the entry carries (as stored, possibly altered).</param>
/// <param name="Fault">Which check failed.</param>
/// <param name="Reason">The failure in plain words, for the auditor.</param>
public sealed record AuditChainBreak(long Position, long Sequence, AuditChainFault Fault, string Reason);

/// <summary>Which check an entry failed.</summary>
public enum AuditChainFault
{
    /// <summary>The stored hash differs from the hash of the stored content: the entry was changed after sealing.</summary>
    ContentChanged,

    /// <summary>The entry is self-consistent but does not link to the previous entry's hash: something before it was rewritten or removed.</summary>
    LinkBroken,

    /// <summary>One or more sequence numbers are missing: entries were deleted.</summary>
    Gap,

    /// <summary>Sequence numbers go backwards: entries are out of order.</summary>
    Reorder,

    /// <summary>The same sequence number appears twice: an entry was inserted or copied.</summary>
    Duplicate,
}
