using Amrs.Core.Audit;
using Amrs.Data.Database;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Amrs.Data.Audit;

/// <summary>
/// Appends to the tamper-evident audit trail. Each entry is sealed onto the current end of the chain inside the
/// same transaction as the change it records, so a change without its entry (or an entry without its change)
/// can never be committed. Writers are serialised by the database (SQLite: an immediate transaction; SQL Server:
/// an update lock on the last entry), and the unique sequence number is the final guard: a writer that loses a
/// race retries from the new end of the chain, so concurrent requests and several app processes never fork it. Any
/// other constraint failure belongs to the change itself and surfaces at the first attempt.
/// </summary>
public sealed class AuditLog(IDbContextFactory<ClinicDbContext> contexts, DatabaseOptions database)
{
    private const int MaxAttempts = 20;

    /// <summary>
    /// SQLite takes one writer at a time, and Microsoft.Data.Sqlite puts a writer that finds the file locked to sleep
    /// for 150 ms before it tries again: twenty clinicians previewing at once had their recordings queue in 150 ms steps
    /// (up to 0.9 s, measured). So this process's writers queue here, handing over at once; the database still
    /// serialises writers of other processes. SQL Server needs no gate (its update lock queues writers).
    /// </summary>
    private readonly SemaphoreSlim _sqliteWriters = new(1, 1);

    /// <summary>Appends entries on their own (for events that change nothing else, such as a failed sign-in).</summary>
    public Task<IReadOnlyList<AuditEntry>> AppendAsync(params AuditDraft[] drafts) =>
        AppendAsync(drafts, CancellationToken.None);

    public async Task<IReadOnlyList<AuditEntry>> AppendAsync(IReadOnlyList<AuditDraft> drafts, CancellationToken cancellationToken)
    {
        var (entries, _) = await RecordAsync(_ => Task.FromResult<(IReadOnlyList<AuditDraft>, bool)>((drafts, true)), cancellationToken);
        return entries;
    }

    /// <summary>
    /// Runs <paramref name="change"/> on a fresh context and appends the drafts it returns, all in one transaction.
    /// If the chain moved underneath (another writer won the race), everything is rolled back and tried again on a
    /// fresh context, so <paramref name="change"/> must only touch the context it is given.
    /// </summary>
    public async Task<(IReadOnlyList<AuditEntry> Entries, T Result)> RecordAsync<T>(
        Func<ClinicDbContext, Task<(IReadOnlyList<AuditDraft> Drafts, T Result)>> change,
        CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var turn = await WriterTurnAsync(cancellationToken);
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            IReadOnlyList<AuditEntry> entries = [];
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                // SQL Server: take the chain's lock before the change reads anything, so two changes that read and then
                // write the same rows (two signatures promoting two bundles, say) run one after the other. SQLite's
                // writers are one at a time already (this process's gate, and the database's write lock).
                if (database.Provider == DatabaseProvider.SqlServer) await ReadHeadForUpdateAsync(db, cancellationToken);
                var (drafts, result) = await change(db);
                entries = await SealAsync(db, drafts, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return (entries, result);
            }
            catch (Exception e) when (attempt < MaxAttempts && IsBusy(e))
            {
                await BackOffAsync(attempt, cancellationToken);
            }
            catch (Exception e) when (attempt < MaxAttempts && IsConstraintFailure(e))
            {
                // A lost race if another writer sealed the sequence number this attempt took. Any other constraint
                // failure is the change's own (a duplicate record, say): trying it again would fail the same way.
                if (!await ChainMovedPastAsync(entries, cancellationToken)) throw;
                await BackOffAsync(attempt, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="change"/> against a context that other services share (Identity's UserManager uses the
    /// scoped context) inside one transaction with the audit entries it returns; on any exception nothing is kept.
    /// </summary>
    public async Task<T> RecordWithinAsync<T>(ClinicDbContext db, Func<Task<(IReadOnlyList<AuditDraft> Drafts, T Result)>> change, CancellationToken cancellationToken = default)
    {
        using var turn = await WriterTurnAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (drafts, result) = await change();
        await SealAsync(db, drafts, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Waits for this process's turn to write (SQLite only); dispose the result to hand the turn on.</summary>
    private async Task<IDisposable?> WriterTurnAsync(CancellationToken cancellationToken)
    {
        if (database.Provider != DatabaseProvider.Sqlite) return null;
        await _sqliteWriters.WaitAsync(cancellationToken);
        return new Turn(_sqliteWriters);
    }

    private sealed class Turn(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }

    /// <summary>
    /// Seals drafts onto the chain inside a transaction the caller owns on <paramref name="db"/> (for changes made
    /// through services that share the context, such as Identity's UserManager). Call SaveChanges and commit after.
    /// </summary>
    public async Task<IReadOnlyList<AuditEntry>> SealAsync(ClinicDbContext db, IReadOnlyList<AuditDraft> drafts, CancellationToken cancellationToken = default)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Audit entries must be sealed inside the transaction of the change they record.");
        var head = await ReadHeadForUpdateAsync(db, cancellationToken);
        var entries = new List<AuditEntry>(drafts.Count);
        foreach (var draft in drafts)
        {
            var entry = AuditChain.Seal(draft, head);
            db.AuditEntries.Add(entry);
            entries.Add(entry);
            head = entry.Head;
        }
        return entries;
    }

    private async Task<AuditChainHead> ReadHeadForUpdateAsync(ClinicDbContext db, CancellationToken cancellationToken)
    {
        // A pending entry of this same transaction (several SealAsync calls before SaveChanges) is the real head.
        var pending = db.ChangeTracker.Entries<AuditEntry>()
            .Where(e => e.State == EntityState.Added)
            .Select(e => e.Entity)
            .MaxBy(e => e.Sequence);
        if (pending is not null) return pending.Head;

        var query = database.Provider == DatabaseProvider.SqlServer
            ? db.AuditEntries.FromSqlRaw("SELECT TOP 1 * FROM [AuditEntries] WITH (UPDLOCK, HOLDLOCK) ORDER BY [Sequence] DESC")
            : db.AuditEntries.OrderByDescending(e => e.Sequence).Take(1);
        var last = await query.AsNoTracking().Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
        return last is null ? AuditChainHead.Genesis : new AuditChainHead(last.Sequence, last.Hash);
    }

    private static Task BackOffAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(Random.Shared.Next(2, 10 * attempt), cancellationToken); // then retry on the new end of the chain

    /// <summary>The database was busy, locked or chose this writer as a deadlock victim: always safe to retry.</summary>
    private static bool IsBusy(Exception e) => (e is DbUpdateException ? e.InnerException : e) switch
    {
        SqliteException { SqliteErrorCode: 5 or 6 } => true, // busy, locked
        SqlException { Number: 1205 } => true, // deadlock victim
        _ => false,
    };

    /// <summary>A unique or other constraint refused the write: a lost race only if the chain moved (see below).</summary>
    private static bool IsConstraintFailure(Exception e) => e is DbUpdateException
    {
        InnerException: SqliteException { SqliteErrorCode: 19 } or SqlException { Number: 2627 or 2601 },
    };

    /// <summary>
    /// Whether another writer committed an entry at or after the first sequence number this attempt sealed, which is
    /// how a lost race looks; read on a context of its own, as the failed one's transaction is spoiled.
    /// </summary>
    private async Task<bool> ChainMovedPastAsync(IReadOnlyList<AuditEntry> sealedEntries, CancellationToken cancellationToken)
    {
        if (sealedEntries.Count == 0) return false;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var last = await db.AuditEntries.AsNoTracking().MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
        return last >= sealedEntries[0].Sequence;
    }
}
