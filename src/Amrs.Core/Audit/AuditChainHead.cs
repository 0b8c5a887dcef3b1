namespace Amrs.Core.Audit;

/// <summary>
/// The end of a chain: the last entry's sequence and hash. The next entry gets <c>Sequence + 1</c> and links to
/// <see cref="Hash"/>. An empty chain's head is <see cref="Genesis"/>.
/// </summary>
public readonly record struct AuditChainHead(long Sequence, string Hash)
{
    public static AuditChainHead Genesis { get; } = new(0, AuditChain.GenesisHash);
}
