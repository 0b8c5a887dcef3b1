using Amrs.Core.Catalog;
using Amrs.Core.Import;
using Amrs.Core.Patients;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Data.Clinical;

/// <summary>
/// What the importer needs to know about one file format: how to read it, what its ids are, the checks the CSV
/// reader cannot make (stored column sizes, references into the database), how a row compares with the stored
/// record of the same id, and how it is stored.
/// </summary>
internal abstract class ImportFormat<T>
{
    public abstract string IdColumn { get; }

    public abstract IEnumerable<CsvRecord<T>> Read(Stream stream, List<CsvError> errors);

    public abstract string Id(T value);

    /// <summary>Database rows one record becomes (a session: itself and its steps).</summary>
    public virtual int Rows(T value) => 1;

    /// <summary>Loads what <see cref="Check"/> needs from the database (known ids), once per pass.</summary>
    public virtual Task PrepareAsync(ClinicDbContext db, CancellationToken cancellationToken) => Task.CompletedTask;

    public abstract void Check(CsvRecord<T> record, List<CsvError> errors);

    /// <summary>The stored records (untracked) among <paramref name="ids"/>.</summary>
    public abstract Task<Dictionary<string, T>> StoredAsync(ClinicDbContext db, IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>The columns in which an imported record differs from the stored one (empty: the same).</summary>
    public abstract IReadOnlyList<string> Differences(T stored, T imported);

    public abstract object ToEntity(T value);

    protected static void MaxLength(CsvRecord<T> record, string column, string? value, int max, List<CsvError> errors)
    {
        if (value is not null && value.Length > max)
            errors.Add(new CsvError(record.Line, column, $"is {value.Length} characters long; at most {max} are stored"));
    }

    /// <summary>Collects the names of the fields that differ.</summary>
    protected sealed class Diff
    {
        public List<string> Columns { get; } = [];

        public Diff Field<TValue>(string column, TValue a, TValue b)
        {
            if (!EqualityComparer<TValue>.Default.Equals(a, b))
                Columns.Add(column);
            return this;
        }

        public Diff List(string column, IReadOnlyList<string> a, IReadOnlyList<string> b)
        {
            if (!a.SequenceEqual(b, StringComparer.Ordinal))
                Columns.Add(column);
            return this;
        }
    }
}

internal sealed class CatalogFormat : ImportFormat<Track>
{
    public override string IdColumn => "track_id";

    public override IEnumerable<CsvRecord<Track>> Read(Stream stream, List<CsvError> errors) => CatalogCsv.ReadStreaming(stream, errors);

    public override string Id(Track value) => value.TrackId;

    public override void Check(CsvRecord<Track> record, List<CsvError> errors)
    {
        var t = record.Value;
        MaxLength(record, "track_id", t.TrackId, 64, errors);
        MaxLength(record, "title", t.Title, 400, errors);
        MaxLength(record, "artist", t.Artist, 400, errors);
        MaxLength(record, "genre", t.Genre, 64, errors);
    }

    public override async Task<Dictionary<string, Track>> StoredAsync(ClinicDbContext db, IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        (await db.Tracks.AsNoTracking().Where(t => ids.Contains(t.TrackId)).ToListAsync(cancellationToken))
        .ToDictionary(t => t.TrackId, t => t.ToDomain(), StringComparer.Ordinal);

    public override IReadOnlyList<string> Differences(Track stored, Track imported)
    {
        var a = stored.AudioOrUnknown;
        var b = imported.AudioOrUnknown;
        return new Diff()
            .Field("title", stored.Title, imported.Title).Field("artist", stored.Artist, imported.Artist)
            .Field("valence", stored.Valence, imported.Valence).Field("arousal", stored.Arousal, imported.Arousal)
            .Field("year", stored.Year, imported.Year).Field("genre", stored.Genre, imported.Genre)
            .Field("duration_seconds", stored.DurationSeconds, imported.DurationSeconds)
            .Field("energy", a.Energy, b.Energy).Field("tempo", a.Tempo, b.Tempo).Field("acousticness", a.Acousticness, b.Acousticness)
            .Field("instrumentalness", a.Instrumentalness, b.Instrumentalness).Field("danceability", a.Danceability, b.Danceability)
            .Field("loudness", a.Loudness, b.Loudness).Field("mode", a.Mode, b.Mode)
            .Columns;
    }

    public override object ToEntity(Track value) => TrackEntity.From(value);
}

internal sealed class PatientFormat : ImportFormat<Patient>
{
    public override string IdColumn => "patient_id";

    public override IEnumerable<CsvRecord<Patient>> Read(Stream stream, List<CsvError> errors) => PatientCsv.ReadStreaming(stream, errors);

    public override string Id(Patient value) => value.PatientId;

    public override void Check(CsvRecord<Patient> record, List<CsvError> errors)
    {
        MaxLength(record, "patient_id", record.Value.PatientId, 64, errors);
        MaxLength(record, "care_unit", record.Value.CareUnit, 100, errors);
    }

    public override async Task<Dictionary<string, Patient>> StoredAsync(ClinicDbContext db, IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        (await db.Patients.AsNoTracking().Where(p => ids.Contains(p.PatientId)).ToListAsync(cancellationToken))
        .ToDictionary(p => p.PatientId, p => p.ToDomain(), StringComparer.Ordinal);

    // The responsible clinician and the care unit are assigned in the clinic (Patients > assign), so the clinic's
    // values stand and are not compared: re-importing the same file after an assignment changes nothing.
    public override IReadOnlyList<string> Differences(Patient stored, Patient imported) => new Diff()
        .Field("birth_year", stored.BirthYear, imported.BirthYear)
        .Field("care_setting", stored.CareSetting, imported.CareSetting)
        .Field("cognitive_stage", stored.CognitiveStage, imported.CognitiveStage)
        .List("preferred_genres", stored.PreferredGenres, imported.PreferredGenres)
        .Field("max_arousal", stored.MaxArousal, imported.MaxArousal)
        .List("excluded_genres", stored.ExcludedGenres, imported.ExcludedGenres)
        .Field("consent", stored.Consent, imported.Consent)
        .Field("preferred_era", stored.PreferredEra, imported.PreferredEra)
        .Columns;

    public override object ToEntity(Patient value) => PatientEntity.From(value);
}

internal sealed class SessionFormat : ImportFormat<ImportedSession>
{
    private HashSet<string> _tracks = [];
    private HashSet<string> _patients = [];
    private HashSet<string> _withoutConsent = [];

    public override string IdColumn => "session_id";

    public override IEnumerable<CsvRecord<ImportedSession>> Read(Stream stream, List<CsvError> errors) => SessionLogCsv.ReadStreaming(stream, errors);

    public override string Id(ImportedSession value) => value.Session.SessionId;

    public override int Rows(ImportedSession value) => 1 + value.Session.Steps.Count;

    public override async Task PrepareAsync(ClinicDbContext db, CancellationToken cancellationToken)
    {
        _tracks = (await db.Tracks.AsNoTracking().Select(t => t.TrackId).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var patients = await db.Patients.AsNoTracking().Select(p => new { p.PatientId, p.Consent }).ToListAsync(cancellationToken);
        _patients = patients.Select(p => p.PatientId).ToHashSet(StringComparer.Ordinal);
        _withoutConsent = patients.Where(p => !p.Consent).Select(p => p.PatientId).ToHashSet(StringComparer.Ordinal);
    }

    public override void Check(CsvRecord<ImportedSession> record, List<CsvError> errors)
    {
        var imported = record.Value;
        var session = imported.Session;
        MaxLength(record, "session_id", session.SessionId, 64, errors);
        errors.AddRange(SessionReferenceCheck.Validate([imported], _patients, _tracks));
        if (_withoutConsent.Contains(session.PatientId))
            errors.Add(new CsvError(imported.FirstLine, "patient_id",
                $"patient '{session.PatientId}' has not consented to the use of their data; their sessions are not imported"));
    }

    public override async Task<Dictionary<string, ImportedSession>> StoredAsync(ClinicDbContext db, IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        (await db.SessionLogs.AsNoTracking().Include(s => s.Steps).Where(s => ids.Contains(s.SessionId)).ToListAsync(cancellationToken))
        .ToDictionary(s => s.SessionId, s => new ImportedSession(s.ToDomain(), 0, []), StringComparer.Ordinal);

    public override IReadOnlyList<string> Differences(ImportedSession stored, ImportedSession imported)
    {
        var a = stored.Session;
        var b = imported.Session;
        var diff = new Diff()
            .Field("patient_id", a.PatientId, b.PatientId)
            // The database keeps whole milliseconds.
            .Field("started_at", a.StartedAt.ToUnixTimeMilliseconds(), b.StartedAt.ToUnixTimeMilliseconds())
            .Field("mode", a.Mode, b.Mode)
            .Field("target_valence", a.Target.Valence, b.Target.Valence)
            .Field("target_arousal", a.Target.Arousal, b.Target.Arousal);
        if (a.Steps.Count != b.Steps.Count)
            return [.. diff.Columns, $"number of tracks ({a.Steps.Count} stored, {b.Steps.Count} in the file)"];
        for (var i = 0; i < a.Steps.Count; i++)
        {
            var (x, y) = (a.Steps[i], b.Steps[i]);
            diff.Field("position", x.Position, y.Position).Field("track_id", x.TrackId, y.TrackId)
                .Field("engagement", x.Engagement, y.Engagement).Field("rating", x.Rating, y.Rating)
                .Field("valence", x.Valence, y.Valence).Field("arousal", x.Arousal, y.Arousal)
                .Field("propensity", x.Propensity, y.Propensity);
        }
        return diff.Columns.Distinct().ToList();
    }

    public override object ToEntity(ImportedSession value) => SessionLogEntity.From(value.Session, SessionSource.Imported);
}
