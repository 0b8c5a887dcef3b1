using System.Diagnostics;
using System.Security.Cryptography;
using Amrs.Core.Audit;
using Amrs.Core.Import;
using Amrs.Data.Audit;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Data.Clinical;

/// <summary>
/// Imports a catalog, patient or session-log CSV file in two passes over the file, so memory stays bounded
/// whatever its size. The first pass validates everything: every rejected row is reported with its line,
/// column and reason, sessions must name patients and tracks the database knows, and a row whose id is already
/// stored must have the same content. Only a file without any error is written, in the second pass: in batches,
/// in ONE transaction with its audit entry, new records only, so importing the same file again changes nothing
/// ("0 new, N unchanged"). The command line and the clinic's Admin page both use this class.
/// </summary>
public sealed class ClinicalDataImporter(IDbContextFactory<ClinicDbContext> contexts, AuditLog auditLog, TimeProvider clock)
{
    /// <summary>Checking stops after this many errors (the file is refused anyway), so memory stays bounded.</summary>
    public const int MaxErrors = 100_000;

    public Task<ImportResult> ImportAsync(
        ClinicalDataKind kind, string path, DataActor actor,
        IProgress<DataProgress>? progress = null, string? fileName = null, CancellationToken cancellationToken = default)
    {
        fileName ??= Path.GetFileName(path);
        return kind switch
        {
            ClinicalDataKind.Catalog => ImportAsync(kind, new CatalogFormat(), path, fileName, actor, progress, cancellationToken),
            ClinicalDataKind.Patients => ImportAsync(kind, new PatientFormat(), path, fileName, actor, progress, cancellationToken),
            ClinicalDataKind.Sessions => ImportAsync(kind, new SessionFormat(), path, fileName, actor, progress, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown kind of data."),
        };
    }

    private async Task<ImportResult> ImportAsync<T>(
        ClinicalDataKind kind, ImportFormat<T> format, string path, string fileName, DataActor actor,
        IProgress<DataProgress>? progress, CancellationToken cancellationToken)
    {
        var clockStart = Stopwatch.StartNew();
        var sha256 = await Sha256Async(path, cancellationToken);
        var (tally, errors) = await ValidateAsync(format, path, progress, cancellationToken);
        ImportResult Result(IReadOnlyList<CsvError> problems) =>
            new(kind, fileName, sha256, tally.Records, tally.Rows, tally.New, tally.Unchanged, problems, clockStart.Elapsed);

        if (errors.Count > 0)
        {
            await auditLog.AppendAsync([Draft(actor, kind, fileName, sha256, tally, AuditOutcome.Refused, errors.Count)], cancellationToken);
            return Result(errors);
        }
        try
        {
            await auditLog.RecordAsync<int>(async db =>
            {
                await WriteAsync(format, db, path, tally, progress, cancellationToken);
                return ([Draft(actor, kind, fileName, sha256, tally, AuditOutcome.Success, 0)], 0);
            }, cancellationToken);
        }
        catch (ImportConflictException e)
        {
            // Someone stored the same ids between the two passes; the transaction rolled back.
            await auditLog.AppendAsync([Draft(actor, kind, fileName, sha256, tally, AuditOutcome.Refused, 1)], cancellationToken);
            return Result([e.Error]);
        }
        catch (DbUpdateException e)
        {
            // The database refused a row the checks let through (for example two ids in the file that differ only in
            // letter case on a database that compares them without case); the transaction rolled back whole.
            await auditLog.AppendAsync([Draft(actor, kind, fileName, sha256, tally, AuditOutcome.Refused, 1)], cancellationToken);
            return Result([new CsvError(0, format.IdColumn,
                $"the database refused the file ({(e.InnerException ?? e).Message.Split('\n')[0]}); nothing was stored. Check the file for ids that differ only in letter case")]);
        }
        progress?.Report(new DataProgress("done", 1, tally.Rows));
        return Result([]);
    }

    private async Task<(Tally Tally, List<CsvError> Errors)> ValidateAsync<T>(
        ImportFormat<T> format, string path, IProgress<DataProgress>? progress, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await format.PrepareAsync(db, cancellationToken);
        var errors = new List<CsvError>();
        var tally = new Tally();
        await using var file = OpenRead(path);
        foreach (var batch in Batches(format, format.Read(file, errors)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var record in batch)
                format.Check(record, errors);
            var stored = await format.StoredAsync(db, batch.Select(r => format.Id(r.Value)).ToList(), cancellationToken);
            // A database that compares ids without letter case (SQL Server's usual collation) returns 'P-1' for 'p-1';
            // storing 'p-1' as new would then collide with it, so it is refused here with the stored spelling.
            var storedSpelling = stored.Keys.GroupBy(k => k, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            foreach (var record in batch)
            {
                var id = format.Id(record.Value);
                tally.Records++;
                var found = stored.TryGetValue(id, out var existing);
                if (!found && storedSpelling.TryGetValue(id, out var spelled))
                    errors.Add(new CsvError(record.Line, format.IdColumn,
                        $"'{id}' differs from the stored '{spelled}' only in letter case, and this database treats them as one id; use '{spelled}'"));
                else if (!found)
                {
                    tally.New++;
                    tally.NewRows += format.Rows(record.Value);
                }
                else if (format.Differences(existing!, record.Value) is { Count: > 0 } columns)
                    errors.Add(Conflict(format, record.Line, id, columns).Error);
                else
                    tally.Unchanged++;
                tally.Rows += format.Rows(record.Value);
            }
            progress?.Report(new DataProgress("validating", Fraction(file), tally.Rows));
            if (errors.Count >= MaxErrors)
            {
                errors.Add(new CsvError(0, null, $"more than {MaxErrors:N0} errors; checking stopped here. Correct these and import again."));
                break;
            }
        }
        return (tally, errors);
    }

    private static async Task WriteAsync<T>(
        ImportFormat<T> format, ClinicDbContext db, string path, Tally tally, IProgress<DataProgress>? progress, CancellationToken cancellationToken)
    {
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var errors = new List<CsvError>();
        var writer = new ClinicalDataWriter.Batch(db, tally.NewRows, progress, cancellationToken);
        await using var file = OpenRead(path);
        foreach (var batch in Batches(format, format.Read(file, errors)))
        {
            var stored = await format.StoredAsync(db, batch.Select(r => format.Id(r.Value)).ToList(), cancellationToken);
            foreach (var record in batch)
            {
                var id = format.Id(record.Value);
                if (!stored.TryGetValue(id, out var existing))
                    await writer.AddAsync(format.ToEntity(record.Value), format.Rows(record.Value));
                else if (format.Differences(existing, record.Value) is { Count: > 0 } columns)
                    throw Conflict(format, record.Line, id, columns);
            }
        }
        if (errors.Count > 0)
            throw new ImportConflictException(new CsvError(errors[0].Line, errors[0].Column, $"the file changed while it was imported: {errors[0].Message}"));
        await writer.FlushAsync();
    }

    /// <summary>Groups records into batches of about <see cref="ClinicalDataWriter.BatchRows"/> database rows.</summary>
    private static IEnumerable<List<CsvRecord<T>>> Batches<T>(ImportFormat<T> format, IEnumerable<CsvRecord<T>> records)
    {
        var batch = new List<CsvRecord<T>>();
        var rows = 0;
        foreach (var record in records)
        {
            batch.Add(record);
            rows += format.Rows(record.Value);
            if (rows < ClinicalDataWriter.BatchRows)
                continue;
            yield return batch;
            batch = [];
            rows = 0;
        }
        if (batch.Count > 0)
            yield return batch;
    }

    private static ImportConflictException Conflict<T>(ImportFormat<T> format, int line, string id, IReadOnlyList<string> columns) =>
        new(new CsvError(line, format.IdColumn,
            $"'{id}' is already stored with different content ({string.Join(", ", columns)}); an id cannot be re-used for other data"));

    private AuditDraft Draft(DataActor actor, ClinicalDataKind kind, string fileName, string sha256, Tally tally, AuditOutcome outcome, int errors) =>
        new(clock.GetUtcNow(), actor.Id, actor.Name, actor.Role, AuditActions.Import, AuditEntityTypes.Dataset,
            kind.ToString().ToLowerInvariant(), null, outcome,
            AuditDetails.Of(new
            {
                kind = kind.ToString().ToLowerInvariant(),
                file = fileName,
                sha256,
                records = tally.Records,
                rows = tally.Rows,
                @new = outcome == AuditOutcome.Success ? tally.New : 0,
                unchanged = tally.Unchanged,
                errors,
            }));

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);

    private static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }

    private static double Fraction(FileStream file) => file.Length == 0 ? 1 : Math.Min(1, (double)file.Position / file.Length);

    private sealed class Tally
    {
        public int Records { get; set; }
        public long Rows { get; set; }
        public int New { get; set; }
        public long NewRows { get; set; }
        public int Unchanged { get; set; }
    }

    private sealed class ImportConflictException(CsvError error) : Exception(error.ToString())
    {
        public CsvError Error { get; } = error;
    }
}
