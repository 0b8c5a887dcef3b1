using System.Globalization;
using Amrs.Core.Audit;
using Amrs.Data.Audit.Review;

namespace Amrs.Data.Audit.Anchors;

/// <summary>
/// Keeps witnesses of the audit chain outside the database. The chain alone cannot show that its newest entries were
/// deleted, or that the whole of it was rewritten and hashed again, by someone with the database owner's rights: what
/// is left still verifies. Every anchor records the head (an entry's sequence and hash) at a moment; later, each anchor
/// must still be in the trail with the same hash, or the trail was cut back or rewritten after that moment. The clinic
/// anchors the head after every intact verification and at an interval while the trail grows
/// (<c>AuditAnchorService</c>); the file protects only as well as the place it is kept.
/// </summary>
public sealed class AuditAnchors(AuditAnchorFile file, AuditTrailReader reader, TimeProvider clock)
{
    private const int LookupChunk = 500;

    public string FilePath => file.Path;

    /// <summary>Anchors <paramref name="head"/> now (the head an intact verification ended on).</summary>
    public Task AnchorAsync(AuditChainHead head, CancellationToken cancellationToken = default) =>
        head.Sequence < 1 ? Task.CompletedTask : file.AppendAsync(head, clock.GetUtcNow(), cancellationToken);

    /// <summary>Anchors the trail's current head if the trail grew since the last anchor; returns what it anchored.</summary>
    public async Task<AuditChainHead?> AnchorCurrentHeadAsync(CancellationToken cancellationToken = default)
    {
        var head = await reader.HeadAsync(cancellationToken);
        if (head.Sequence < 1) return null;
        var last = (await file.ReadAsync(cancellationToken)).Anchors.LastOrDefault();
        if (last is not null && last.Head.Sequence >= head.Sequence) return null;
        await file.AppendAsync(head, clock.GetUtcNow(), cancellationToken);
        return head;
    }

    /// <summary>Holds the trail against every anchor in the file, in the order they were written.</summary>
    public async Task<AuditAnchorCheck> CheckAsync(CancellationToken cancellationToken = default)
    {
        AuditAnchorRead read;
        try
        {
            read = await file.ReadAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new AuditAnchorCheck(file.Path, 0, null, [], e.Message);
        }

        var stored = new Dictionary<long, string>();
        foreach (var chunk in read.Anchors.Select(a => a.Head.Sequence).Distinct().Chunk(LookupChunk))
        {
            foreach (var (sequence, hash) in await reader.HashesAsync(chunk, cancellationToken))
                stored[sequence] = hash;
        }

        foreach (var anchor in read.Anchors)
        {
            var when = anchor.AnchoredAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
            if (!stored.TryGetValue(anchor.Head.Sequence, out var hash))
                return Mismatch(read, anchor,
                    $"Entry {anchor.Head.Sequence}, anchored on {when} (line {anchor.Line} of {file.Path}), is no longer in the trail: " +
                    "the trail was cut back after that time.");
            if (!string.Equals(hash, anchor.Head.Hash, StringComparison.Ordinal))
                return Mismatch(read, anchor,
                    $"Entry {anchor.Head.Sequence} no longer has the hash anchored on {when} (line {anchor.Line} of {file.Path}): " +
                    "the trail up to that entry was rewritten after that time.");
        }
        return new AuditAnchorCheck(file.Path, read.Anchors.Count, null, read.UnreadableLines);
    }

    private AuditAnchorCheck Mismatch(AuditAnchorRead read, AuditAnchor anchor, string reason) =>
        new(file.Path, read.Anchors.Count, new AuditAnchorMismatch(anchor, reason), read.UnreadableLines);
}
