using Amrs.Core.Audit;
using Amrs.Data.Audit;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Data.Clinical;

/// <summary>Counts of the clinical tables.</summary>
public sealed record ClinicalDataCounts(int Tracks, int Patients, int Sessions, int Steps)
{
    public bool IsEmpty => Tracks == 0 && Patients == 0 && Sessions == 0;

    public override string ToString() => $"{Tracks:N0} tracks, {Patients:N0} patients, {Sessions:N0} sessions, {Steps:N0} steps";
}

/// <summary>Refused: the database already holds clinical data, and a whole data set only goes into an empty one.</summary>
public sealed class ClinicalDataExistsException(ClinicalDataCounts counts)
    : Exception($"The database already holds clinical data ({counts}).")
{
    public ClinicalDataCounts Counts { get; } = counts;
}

/// <summary>
/// Stores a whole data set (the generated world) into an empty database: one transaction with its audit entry,
/// batches of about <see cref="BatchRows"/> rows, change detection off and the tracker cleared after each batch,
/// so memory stays flat and nothing is left half-written if anything fails.
/// </summary>
public sealed class ClinicalDataWriter(IDbContextFactory<ClinicDbContext> contexts, AuditLog auditLog)
{
    public const int BatchRows = 2_000;

    public async Task<ClinicalDataCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await CountAsync(db, cancellationToken);
    }

    internal static async Task<ClinicalDataCounts> CountAsync(ClinicDbContext db, CancellationToken cancellationToken) => new(
        await db.Tracks.CountAsync(cancellationToken),
        await db.Patients.CountAsync(cancellationToken),
        await db.SessionLogs.CountAsync(cancellationToken),
        await db.SessionSteps.CountAsync(cancellationToken));

    /// <summary>
    /// Writes <paramref name="data"/> with <paramref name="audit"/> in one transaction. Throws
    /// <see cref="ClinicalDataExistsException"/> (writing nothing) when the database is not empty, checked inside
    /// the transaction so that two processes starting on one empty file cannot both fill it.
    /// </summary>
    public async Task<ClinicalDataCounts> WriteAsync(
        ClinicalDataSet data, SessionSource source, AuditDraft audit,
        IProgress<DataProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var total = data.Catalog.Count + data.Patients.Count + data.Sessions.Count + (long)data.StepCount;
        var (_, counts) = await auditLog.RecordAsync<ClinicalDataCounts>(async db =>
        {
            var existing = await CountAsync(db, cancellationToken);
            if (!existing.IsEmpty)
                throw new ClinicalDataExistsException(existing);

            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var batch = new Batch(db, total, progress, cancellationToken);
            foreach (var track in data.Catalog)
                await batch.AddAsync(TrackEntity.From(track), 1);
            foreach (var patient in data.Patients)
                await batch.AddAsync(PatientEntity.From(patient), 1);
            foreach (var session in data.Sessions)
                await batch.AddAsync(SessionLogEntity.From(session, source), 1 + session.Steps.Count);
            await batch.FlushAsync();
            return ([audit], new ClinicalDataCounts(data.Catalog.Count, data.Patients.Count, data.Sessions.Count, data.StepCount));
        }, cancellationToken);
        return counts;
    }

    /// <summary>Adds entities and saves every <see cref="BatchRows"/> rows, clearing the tracker after each save.</summary>
    internal sealed class Batch(ClinicDbContext db, long totalRows, IProgress<DataProgress>? progress, CancellationToken cancellationToken)
    {
        private int _pending;
        private long _written;

        public long Written => _written;

        public async Task AddAsync(object entity, int rows)
        {
            db.Add(entity);
            _pending += rows;
            if (_pending >= BatchRows)
                await FlushAsync();
        }

        public async Task FlushAsync()
        {
            if (_pending == 0)
                return;
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            _written += _pending;
            _pending = 0;
            progress?.Report(new DataProgress("writing", totalRows == 0 ? 1 : Math.Min(1, (double)_written / totalRows), _written));
        }
    }
}
