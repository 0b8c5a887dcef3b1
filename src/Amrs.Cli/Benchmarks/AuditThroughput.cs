using System.Diagnostics;
using Amrs.Core.Audit;
using Amrs.Data;
using Amrs.Data.Audit;
using Amrs.Data.Audit.Review;
using Amrs.Data.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Amrs.Cli.Benchmarks;

/// <summary>Audit appends per second (one writer, then several at once) and chain verification time per million entries.</summary>
public sealed record AuditResult(
    int Appended,
    double AppendsPerSecond,
    int ConcurrentWriters,
    double ConcurrentAppendsPerSecond,
    int VerifiedInMemory,
    double VerifySecondsPerMillionInMemory,
    int VerifiedFromDatabase,
    double VerifySecondsPerMillionFromDatabase);

/// <summary>
/// Appends through the real <see cref="AuditLog"/> to a fresh, migrated SQLite file (each append its own
/// transaction, as in the clinic), verifies that file's chain with the auditor console's reader, and verifies a
/// chain sealed in memory (the hashing alone). tests/Amrs.Benchmarks' audit-verify mode times the same on
/// million-entry files with filtered page queries.
/// </summary>
public static class AuditThroughput
{
    public const int Writers = 4;

    public static async Task<AuditResult> RunAsync(int appends, int inMemory)
    {
        var folder = Path.Combine(Path.GetTempPath(), "amrs-bench-audit-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            var options = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, SqlitePath = Path.Combine(folder, "audit.db") };
            var builder = new DbContextOptionsBuilder<ClinicDbContext>();
            DatabaseSetup.Configure(builder, options, DatabaseSetup.ResolveConnectionString(options));
            var contexts = new PooledDbContextFactory<ClinicDbContext>(builder.Options);
            await using (var db = await contexts.CreateDbContextAsync())
                await db.Database.MigrateAsync();
            var log = new AuditLog(contexts, options);

            var clock = Stopwatch.StartNew();
            for (var i = 0; i < appends; i++) await log.AppendAsync(Draft("writer-0", i));
            var oneWriter = appends / clock.Elapsed.TotalSeconds;

            clock.Restart();
            await Task.WhenAll(Enumerable.Range(1, Writers).Select(w => Task.Run(async () =>
            {
                for (var i = 0; i < appends / Writers; i++) await log.AppendAsync(Draft($"writer-{w}", i));
            })));
            var together = appends / Writers * Writers / clock.Elapsed.TotalSeconds;

            clock.Restart();
            var fromFile = await new AuditTrailReader(contexts).VerifyAsync();
            var fileSeconds = clock.Elapsed.TotalSeconds;
            if (!fromFile.IsIntact) throw new InvalidOperationException($"The benchmark's own audit chain does not verify: {fromFile}");

            var trail = new List<AuditEntry>(inMemory);
            var head = AuditChainHead.Genesis;
            for (var i = 0; i < inMemory; i++)
            {
                var entry = AuditChain.Seal(Draft($"user-{i % 50}", i), head);
                trail.Add(entry);
                head = entry.Head;
            }
            clock.Restart();
            var memory = AuditChainVerifier.Verify(trail);
            var memorySeconds = clock.Elapsed.TotalSeconds;
            if (!memory.IsIntact) throw new InvalidOperationException($"The in-memory chain does not verify: {memory}");

            return new AuditResult(appends, oneWriter, Writers, together, inMemory, memorySeconds * 1_000_000 / inMemory,
                (int)fromFile.VerifiedCount, fileSeconds * 1_000_000 / fromFile.VerifiedCount);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { /* best effort */ }
        }
    }

    private static AuditDraft Draft(string actor, int n) =>
        new(DateTimeOffset.UtcNow, actor, actor, AuditActors.SystemRole, AuditActions.DataGenerated, AuditEntityTypes.Dataset,
            n.ToString(System.Globalization.CultureInfo.InvariantCulture), null, AuditOutcome.Success, AuditDetails.Of(new { benchmark = true, n }));
}
