using System.Diagnostics;
using System.Globalization;
using Amrs.Core.Audit;
using Amrs.Core.Security;
using Amrs.Data.Audit.Review;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Benchmarks;

/// <summary>
/// How long verifying a long trail takes: in memory (the hashing alone) and, with <c>--database</c>, streamed from
/// a SQLite file through the same reader the auditor's console uses. Also times filtered pages on that file.
/// </summary>
internal static class AuditVerifyMode
{
    public const string Name = "audit-verify";

    private static readonly string[] Actions =
    [
        AuditActions.SignIn, AuditActions.PatientViewed, AuditActions.PlaylistPreviewed, AuditActions.PlaylistApproved,
        AuditActions.SessionStarted, AuditActions.Annotation, AuditActions.SessionCompleted, AuditActions.GuardAllowed,
        AuditActions.GuardRefused, AuditActions.SessionStopped,
    ];

    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var count = arguments.Number("entries", 1_000_000);
        Console.WriteLine($"cores: {Environment.ProcessorCount}, entries: {count:N0}");

        var clock = Stopwatch.StartNew();
        var trail = Trail(count);
        Console.WriteLine($"seal in memory:   {clock.Elapsed.TotalSeconds,7:F2} s");

        for (var run = 1; run <= 3; run++)
        {
            clock.Restart();
            var result = AuditChainVerifier.Verify(trail);
            Console.WriteLine($"verify in memory: {clock.Elapsed.TotalSeconds,7:F2} s  (run {run}: {result})");
            if (!result.IsIntact || result.VerifiedCount != count) return 1;
        }

        if (arguments.Text("database") is not { } file) return 0;
        return await FromDatabaseAsync(file, trail);
    }

    private static async Task<int> FromDatabaseAsync(string file, List<AuditEntry> trail)
    {
        SqliteConnection.ClearAllPools();
        foreach (var stale in new[] { file, file + "-wal", file + "-shm" }) File.Delete(stale);
        var options = ClinicDatabase.Options(file);
        var contexts = ClinicDatabase.Factory(options);
        await using (var db = await contexts.CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        var clock = Stopwatch.StartNew();
        await BulkInsertAsync(DatabaseConnection(options), trail);
        Console.WriteLine($"write SQLite:     {clock.Elapsed.TotalSeconds,7:F2} s  ({new FileInfo(file).Length / 1_048_576.0:F0} MB)");
        trail.Clear();

        var reader = new AuditTrailReader(contexts);
        for (var run = 1; run <= 2; run++)
        {
            clock.Restart();
            var result = await reader.VerifyAsync();
            Console.WriteLine($"verify from file: {clock.Elapsed.TotalSeconds,7:F2} s  (run {run}: {result})");
            if (!result.IsIntact) return 1;
        }

        var last = await reader.HeadSequenceAsync();
        var middle = await reader.GetAsync(last / 2) ?? throw new InvalidOperationException("no middle entry");
        (string Label, AuditFilter Filter)[] queries =
        [
            ("newest page, no filter", AuditFilter.All),
            ("action = guard.refused", new AuditFilter(Action: AuditActions.GuardRefused)),
            ("actor = one of 50", new AuditFilter(ActorId: "user-7")),
            ("patient = one of 2000", new AuditFilter(PatientId: "P-0042")),
            ("one hour in the middle", new AuditFilter(middle.RecordedAt, middle.RecordedAt.AddHours(1))),
            ("action + outcome + actor", new AuditFilter(ActorId: "user-3", Action: AuditActions.PlaylistApproved, Outcome: AuditOutcome.Success)),
        ];
        foreach (var (label, filter) in queries)
        {
            clock.Restart();
            var page = await reader.PageAsync(new AuditPageRequest(filter));
            var first = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            var older = page.OlderThan is { } cursor ? await reader.PageAsync(new AuditPageRequest(filter, cursor)) : page;
            Console.WriteLine($"page {label,-26} {first,8:F1} ms, next page {clock.Elapsed.TotalMilliseconds,8:F1} ms, {page.MatchCount:N0} match, {older.Entries.Count} on page 2");
        }

        clock.Restart();
        var report = await reader.MonthlyReportAsync(middle.RecordedAt.Year, middle.RecordedAt.Month);
        Console.WriteLine($"monthly report:   {clock.Elapsed.TotalMilliseconds,7:F1} ms  ({report.Approvals:N0} approvals, {report.GuardRefusals:N0} refusals)");
        return 0;
    }

    private static string DatabaseConnection(Amrs.Data.Database.DatabaseOptions options) =>
        Amrs.Data.Database.DatabaseSetup.ResolveConnectionString(options);

    /// <summary>A trail with the mix of a busy clinic: 50 actors, 2,000 patients, one entry every ~3 seconds.</summary>
    private static List<AuditEntry> Trail(long count)
    {
        var trail = new List<AuditEntry>((int)count);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var head = AuditChainHead.Genesis;
        for (long i = 0; i < count; i++)
        {
            var action = Actions[i % Actions.Length];
            var refused = action == AuditActions.GuardRefused;
            var details = refused
                ? "{\"check\":\"start-session\",\"allowed\":false,\"rule\":\"consent-required\",\"reason\":\"The patient has not consented.\"}"
                : "{\"note\":\"benchmark entry\",\"n\":" + i.ToString(CultureInfo.InvariantCulture) + "}";
            var actor = $"user-{i % 50}";
            var entry = AuditChain.Seal(new AuditDraft(start.AddMilliseconds(i * 3_000), actor, $"Person {i % 50}", Roles.Clinician,
                action, AuditEntityTypes.Session, $"s-{i / 7}", $"P-{i % 2000:0000}",
                refused ? AuditOutcome.Refused : AuditOutcome.Success, details), head);
            trail.Add(entry);
            head = entry.Head;
        }
        return trail;
    }

    private static async Task BulkInsertAsync(string connectionString, List<AuditEntry> trail)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO AuditEntries (Sequence, RecordedAtUnixMs, ActorId, ActorName, ActorRole, Action, EntityType, EntityId, PatientId, Outcome, Details, PreviousHash, Hash)
            VALUES ($s, $t, $ai, $an, $ar, $a, $et, $ei, $p, $o, $d, $ph, $h)
            """;
        string[] names = ["$s", "$t", "$ai", "$an", "$ar", "$a", "$et", "$ei", "$p", "$o", "$d", "$ph", "$h"];
        var parameters = names.Select(n => insert.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
        insert.Prepare();
        foreach (var e in trail)
        {
            object?[] values = [e.Sequence, e.RecordedAtUnixMilliseconds, e.ActorId, e.ActorName, e.ActorRole, e.Action,
                e.EntityType, e.EntityId, e.PatientId, e.Outcome.ToString(), e.Details, e.PreviousHash, e.Hash];
            for (var i = 0; i < values.Length; i++) parameters[i].Value = values[i] ?? DBNull.Value;
            await insert.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }
}
