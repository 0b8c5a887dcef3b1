using System.Runtime.CompilerServices;
using System.Text.Json;
using Amrs.Core.Audit;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Data.Audit.Review;

/// <summary>
/// Reads the audit trail for review: filtered pages, single entries, ordered streams for export, whole-chain
/// verification and the monthly report. Read-only: it never tracks, changes or deletes an entry. Authorisation is
/// the caller's job (the clinic's review service checks the AuditReview policy before every call).
/// </summary>
public sealed class AuditTrailReader(IDbContextFactory<ClinicDbContext> contexts)
{
    /// <summary>One page, newest first, with the total number of matches.</summary>
    public async Task<AuditPage> PageAsync(AuditPageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var size = Math.Clamp(request.PageSize, 1, AuditPageRequest.MaxPageSize);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var matching = db.AuditEntries.AsNoTracking().Matching(request.Filter);
        var page = request.OlderThan is { } cursor ? matching.Where(e => e.Sequence < cursor) : matching;
        // One more than asked tells whether an older page exists without a second query.
        var entries = await page.OrderByDescending(e => e.Sequence).Take(size + 1).ToListAsync(cancellationToken);
        var count = await matching.LongCountAsync(cancellationToken);
        var hasOlder = entries.Count > size;
        if (hasOlder) entries.RemoveAt(entries.Count - 1);
        return new AuditPage(entries, hasOlder ? entries[^1].Sequence : null, count);
    }

    public async Task<AuditEntry?> GetAsync(long sequence, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.AuditEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Sequence == sequence, cancellationToken);
    }

    /// <summary>The sequence of the last entry (0 for an empty trail).</summary>
    public async Task<long> HeadSequenceAsync(CancellationToken cancellationToken = default) =>
        (await HeadAsync(cancellationToken)).Sequence;

    /// <summary>The trail's head: the last entry's sequence and hash (<see cref="AuditChainHead.Genesis"/> when empty).</summary>
    public async Task<AuditChainHead> HeadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var last = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
        return last is null ? AuditChainHead.Genesis : new AuditChainHead(last.Sequence, last.Hash);
    }

    /// <summary>The stored hash of each of <paramref name="sequences"/> that is in the trail.</summary>
    public async Task<IReadOnlyList<(long Sequence, string Hash)>> HashesAsync(IReadOnlyCollection<long> sequences, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var found = await db.AuditEntries.AsNoTracking().Where(e => sequences.Contains(e.Sequence))
            .Select(e => new { e.Sequence, e.Hash }).ToListAsync(cancellationToken);
        return [.. found.Select(e => (e.Sequence, e.Hash))];
    }

    /// <summary>
    /// The matching entries up to <paramref name="upToSequence"/>, oldest first, one at a time (for exports of any
    /// size). Bounding by a sequence makes the export a fixed snapshot, whatever is appended while it streams.
    /// </summary>
    public async IAsyncEnumerable<AuditEntry> StreamAsync(
        AuditFilter filter, long upToSequence, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entries = db.AuditEntries.AsNoTracking().Matching(filter)
            .Where(e => e.Sequence <= upToSequence)
            .OrderBy(e => e.Sequence)
            .AsAsyncEnumerable()
            .WithCancellation(cancellationToken);
        await foreach (var entry in entries)
            yield return entry;
    }

    /// <summary>
    /// Verifies the WHOLE chain from its first entry, streaming in sequence order (constant memory), and names the
    /// first broken entry if there is one.
    /// </summary>
    public async Task<AuditChainVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entries = db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable();
        return await AuditChainVerifier.VerifyAsync(entries, cancellationToken: cancellationToken);
    }

    /// <summary>Counts one calendar month (UTC) of approvals, delivered and stopped sessions and guard refusals.</summary>
    public async Task<AuditMonthlyReport> MonthlyReportAsync(int year, int month, CancellationToken cancellationToken = default)
    {
        var (from, to) = AuditMonthlyReport.Bounds(year, month);
        string[] counted = [AuditActions.PlaylistApproved, AuditActions.SessionCompleted, AuditActions.SessionStopped, AuditActions.GuardRefused];
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var inMonth = db.AuditEntries.AsNoTracking().Matching(new AuditFilter(from, to));

        var groups = await inMonth
            .Where(e => counted.Contains(e.Action))
            .GroupBy(e => new { e.Action, e.Outcome, e.ActorId })
            .Select(g => new { g.Key.Action, g.Key.Outcome, g.Key.ActorId, Name = g.Max(e => e.ActorName), Count = g.LongCount() })
            .ToListAsync(cancellationToken);

        long Successes(string action) => groups.Where(g => g.Action == action && g.Outcome == AuditOutcome.Success).Sum(g => g.Count);
        var approvals = groups
            .Where(g => g.Action == AuditActions.PlaylistApproved && g.Outcome == AuditOutcome.Success)
            .Select(g => new ClinicianApprovals(g.ActorId, g.Name ?? g.ActorId, g.Count))
            .OrderByDescending(c => c.Approvals).ThenBy(c => c.ActorName, StringComparer.Ordinal)
            .ToList();

        // Refusals are few (each one stopped a person at work); their rule is only in the details JSON.
        var rules = new Dictionary<string, long>(StringComparer.Ordinal);
        var refusalDetails = inMonth.Where(e => e.Action == AuditActions.GuardRefused).Select(e => e.Details).AsAsyncEnumerable();
        await foreach (var details in refusalDetails.WithCancellation(cancellationToken))
        {
            var rule = RuleOf(details);
            rules[rule] = rules.GetValueOrDefault(rule) + 1;
        }

        return new AuditMonthlyReport(year, month, from, to, approvals,
            Successes(AuditActions.SessionCompleted), Successes(AuditActions.SessionStopped),
            groups.Where(g => g.Action == AuditActions.GuardRefused).Sum(g => g.Count),
            [.. rules.Select(r => new RuleRefusals(r.Key, r.Value)).OrderByDescending(r => r.Refusals).ThenBy(r => r.Rule, StringComparer.Ordinal)]);
    }

    internal const string RuleNotGiven = "(not given)";

    private static string RuleOf(string details)
    {
        try
        {
            using var document = JsonDocument.Parse(details);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("rule", out var rule) && rule.ValueKind == JsonValueKind.String
                    ? rule.GetString()!
                    : RuleNotGiven;
        }
        catch (JsonException)
        {
            return RuleNotGiven;
        }
    }
}
