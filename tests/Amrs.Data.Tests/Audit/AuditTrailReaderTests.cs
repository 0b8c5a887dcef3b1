using Amrs.Core.Audit;
using Amrs.Core.Ethics;
using Amrs.Data.Audit.Review;

namespace Amrs.Data.Tests.Audit;

public sealed class AuditTrailReaderTests
{
    private static readonly DateTimeOffset March = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Each_filter_criterion_narrows_the_entries_and_they_combine()
    {
        await using var database = await AuditTestDatabase.CreateAsync();
        await database.AppendAsync(12, March.AddHours(8)); // minute i: actor u-(i%3), patient P-(i%4)
        await database.Log.AppendAsync(AuditTestDatabase.Draft(March.AddHours(9), "u-1", AuditActions.GuardRefused, "P-001", AuditOutcome.Refused));
        var ct = TestContext.Current.CancellationToken;

        async Task<long[]> Sequences(AuditFilter filter) =>
            [.. (await database.Reader.PageAsync(new AuditPageRequest(filter, PageSize: 100), ct)).Entries.Select(e => e.Sequence)];

        Assert.Equal(new long[] { 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 }, await Sequences(AuditFilter.All));
        Assert.Equal(new long[] { 13, 11, 8, 5, 2 }, await Sequences(new AuditFilter(ActorId: "u-1")));
        Assert.Equal(new long[] { 13, 10, 6, 2 }, await Sequences(new AuditFilter(PatientId: "P-001")));
        Assert.Equal(new long[] { 13 }, await Sequences(new AuditFilter(Action: AuditActions.GuardRefused)));
        Assert.Equal(new long[] { 13 }, await Sequences(new AuditFilter(Outcome: AuditOutcome.Refused)));
        Assert.Equal(new long[] { 5, 4, 3 }, await Sequences(new AuditFilter(March.AddHours(8).AddMinutes(2), March.AddHours(8).AddMinutes(5))));
        Assert.Equal(new long[] { 13, 2 }, await Sequences(new AuditFilter(ActorId: "u-1", PatientId: "P-001")));
        Assert.Equal(new long[] { 2 }, await Sequences(new AuditFilter(ActorId: " u-1 ", PatientId: "P-001", Action: AuditActions.PatientViewed, Outcome: AuditOutcome.Success)));
    }

    [Fact]
    public async Task Pages_run_newest_first_with_a_cursor_and_count_every_match()
    {
        await using var database = await AuditTestDatabase.CreateAsync();
        await database.AppendAsync(7);
        var ct = TestContext.Current.CancellationToken;

        var first = await database.Reader.PageAsync(new AuditPageRequest(AuditFilter.All, PageSize: 3), ct);
        var second = await database.Reader.PageAsync(new AuditPageRequest(AuditFilter.All, first.OlderThan, 3), ct);
        var third = await database.Reader.PageAsync(new AuditPageRequest(AuditFilter.All, second.OlderThan, 3), ct);

        Assert.Equal([7L, 6, 5], first.Entries.Select(e => e.Sequence));
        Assert.Equal([4L, 3, 2], second.Entries.Select(e => e.Sequence));
        Assert.Equal([1L], third.Entries.Select(e => e.Sequence));
        Assert.Null(third.OlderThan);
        Assert.All(new[] { first, second, third }, p => Assert.Equal(7, p.MatchCount));
    }

    [Fact]
    public async Task An_export_stream_is_a_snapshot_up_to_its_sequence_in_order()
    {
        await using var database = await AuditTestDatabase.CreateAsync();
        await database.AppendAsync(6);
        var ct = TestContext.Current.CancellationToken;

        var streamed = new List<long>();
        await foreach (var entry in database.Reader.StreamAsync(new AuditFilter(ActorId: "u-0"), upToSequence: 5, ct))
        {
            streamed.Add(entry.Sequence);
            await database.AppendAsync(1); // appends while streaming do not enter the export
        }

        Assert.Equal([1L, 4], streamed);
    }

    [Fact]
    public async Task The_monthly_report_counts_the_month_from_the_trail()
    {
        await using var database = await AuditTestDatabase.CreateAsync();
        var refusal = GuardDecision.Refuse(GuardRules.ConsentRequired, "No consent.", [GuardRules.ConsentRequired]);
        AuditDraft[] drafts =
        [
            AuditTestDatabase.Draft(March.AddDays(-1), "dr-a", AuditActions.PlaylistApproved, "P-001"), // February
            AuditTestDatabase.Draft(March, "dr-a", AuditActions.PlaylistApproved, "P-001"),
            AuditTestDatabase.Draft(March.AddDays(3), "dr-a", AuditActions.PlaylistApproved, "P-002"),
            AuditTestDatabase.Draft(March.AddDays(4), "dr-b", AuditActions.PlaylistApproved, "P-003"),
            AuditTestDatabase.Draft(March.AddDays(4), "dr-b", AuditActions.PlaylistApproved, "P-003", AuditOutcome.Refused),
            AuditTestDatabase.Draft(March.AddDays(5), "care-1", AuditActions.SessionCompleted, "P-001"),
            AuditTestDatabase.Draft(March.AddDays(5), "care-1", AuditActions.SessionCompleted, "P-002"),
            AuditTestDatabase.Draft(March.AddDays(6), "care-1", AuditActions.SessionStopped, "P-003"),
            AuditTestDatabase.Draft(March.AddDays(7), "care-1", AuditActions.GuardRefused, "P-004", AuditOutcome.Refused, refusal.ToAuditDetails(GuardChecks.StartSession)),
            AuditTestDatabase.Draft(March.AddDays(7), "care-1", AuditActions.GuardRefused, "P-004", AuditOutcome.Refused),
            AuditTestDatabase.Draft(March.AddMonths(1), "dr-b", AuditActions.PlaylistApproved, "P-001"), // April
        ];
        await database.Log.AppendAsync(drafts, TestContext.Current.CancellationToken);

        var report = await database.Reader.MonthlyReportAsync(2026, 3, TestContext.Current.CancellationToken);

        Assert.Equal([("dr-a", "Person dr-a", 2L), ("dr-b", "Person dr-b", 1L)],
            report.ApprovalsByClinician.Select(c => (c.ActorId, c.ActorName, c.Approvals)));
        Assert.Equal(3, report.Approvals);
        Assert.Equal(2, report.SessionsDelivered);
        Assert.Equal(1, report.SessionsStopped);
        Assert.Equal(2, report.GuardRefusals);
        Assert.Equal([(AuditTrailReader.RuleNotGiven, 1L), (GuardRules.ConsentRequired, 1L)], report.RefusalsByRule.Select(r => (r.Rule, r.Refusals)));
    }
}
