using System.Text;
using Amrs.Core.Audit;
using Amrs.Core.Import;
using Amrs.Data.Clinical;
using Microsoft.EntityFrameworkCore;
using static Amrs.Data.Tests.Clinical.ClinicalCsvSamples;

namespace Amrs.Data.Tests.Clinical;

public sealed class ClinicalDataImporterTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_valid_catalog_is_stored_with_one_audit_entry_naming_the_counts()
    {
        await using var db = await ClinicalTestDatabase.CreateAsync();

        var result = await db.ImportAsync(ClinicalDataKind.Catalog, db.File("catalog.csv", Catalog));

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal("3 new, 0 unchanged", result.Summary);
        Assert.Equal(3, (await db.CountsAsync()).Tracks);
        await using var context = await db.Contexts.CreateDbContextAsync(Cancel);
        var rock = await context.Tracks.SingleAsync(t => t.TrackId == "T-2", Cancel);
        Assert.Equal("Rock, Around", rock.Title);
        Assert.Equal(144, rock.Tempo);
        var audit = Assert.Single(await db.AuditAsync(AuditActions.Import));
        Assert.Equal(AuditOutcome.Success, audit.Outcome);
        Assert.Equal("admin-1", audit.ActorId);
        Assert.Contains("\"new\":3", audit.Details, StringComparison.Ordinal);
        Assert.Contains("\"file\":\"catalog.csv\"", audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Importing_the_same_files_again_reports_0_new_and_changes_nothing()
    {
        await using var db = await ClinicalTestDatabase.CreateAsync();
        var files = new[]
        {
            (ClinicalDataKind.Catalog, db.File("catalog.csv", Catalog)),
            (ClinicalDataKind.Patients, db.File("patients.csv", Patients)),
            (ClinicalDataKind.Sessions, db.File("sessions.csv", Sessions)),
        };
        foreach (var (kind, path) in files)
            Assert.True((await db.ImportAsync(kind, path)).Succeeded);
        var before = await db.CountsAsync();

        var again = new List<ImportResult>();
        foreach (var (kind, path) in files)
            again.Add(await db.ImportAsync(kind, path));

        Assert.Equal(["0 new, 3 unchanged", "0 new, 3 unchanged", "0 new, 2 unchanged"], again.Select(r => r.Summary));
        Assert.Equal(before, await db.CountsAsync());
        Assert.Equal(new ClinicalDataCounts(3, 3, 2, 3), before);
    }

    [Fact]
    public async Task Re_importing_patients_after_the_clinic_assigned_a_care_unit_changes_nothing()
    {
        await using var db = await ClinicalTestDatabase.CreateAsync();
        var file = db.File("patients.csv", Patients);
        Assert.True((await db.ImportAsync(ClinicalDataKind.Patients, file)).Succeeded);
        await using (var context = await db.Contexts.CreateDbContextAsync(Cancel))
            await context.Patients.ExecuteUpdateAsync(p => p.SetProperty(x => x.CareUnit, "Unit B"), Cancel);

        var again = await db.ImportAsync(ClinicalDataKind.Patients, file);

        Assert.True(again.Succeeded, string.Join(" ", again.Errors.Select(e => e.ToString())));
        Assert.Equal("0 new, 3 unchanged", again.Summary);
        await using var after = await db.Contexts.CreateDbContextAsync(Cancel);
        Assert.All(await after.Patients.ToListAsync(Cancel), p => Assert.Equal("Unit B", p.CareUnit));
    }

    [Fact]
    public async Task Sessions_are_stored_as_imported_with_their_steps_in_order()
    {
        await using var db = await ClinicalTestDatabase.CreateAsync();
        await db.ImportAsync(ClinicalDataKind.Catalog, db.File("c.csv", Catalog));
        await db.ImportAsync(ClinicalDataKind.Patients, db.File("p.csv", Patients));

        var result = await db.ImportAsync(ClinicalDataKind.Sessions, db.File("s.csv", Sessions));

        Assert.Equal("2 new, 0 unchanged", result.Summary);
        Assert.Equal(5, result.Rows); // two sessions and three steps
        await using var context = await db.Contexts.CreateDbContextAsync(Cancel);
        var session = (await context.SessionLogs.Include(s => s.Steps).SingleAsync(s => s.SessionId == "S-1", Cancel)).ToDomain();
        Assert.Equal(SessionSource.Imported, (await context.SessionLogs.SingleAsync(s => s.SessionId == "S-1", Cancel)).Source);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 13, 30, 0, TimeSpan.Zero), session.StartedAt);
        Assert.Equal(["T-1", "T-3"], session.Steps.Select(s => s.TrackId));
        Assert.Null(session.Steps[1].Rating);
        Assert.Equal(0.66, session.Steps[0].Valence);
    }

    [Fact]
    public async Task A_file_with_only_the_required_columns_stores_nulls_for_the_rest()
    {
        await using var db = await ClinicalTestDatabase.CreateAsync();

        var tracks = await db.ImportAsync(ClinicalDataKind.Catalog, db.File("c.csv", "track_id,title,artist,valence,arousal\nT-9,Song,Singer,0.5,0.5\n"));
        var patients = await db.ImportAsync(ClinicalDataKind.Patients, db.File("p.csv",
            "patient_id,birth_year,care_setting,cognitive_stage,preferred_genres,max_arousal,excluded_genres,consent\nP-9,1940,clinical,mild,,,,true\n"));

        Assert.True(tracks.Succeeded && patients.Succeeded);
        await using var context = await db.Contexts.CreateDbContextAsync(Cancel);
        var track = (await context.Tracks.SingleAsync(Cancel)).ToDomain();
        Assert.Equal(new Core.Catalog.Track("T-9", "Song", "Singer", 0.5, 0.5), track);
        var patient = await context.Patients.SingleAsync(Cancel);
        Assert.Null(patient.CareUnit);
        Assert.Null(patient.PreferredEra);
        Assert.Null(patient.MaxArousal);
        Assert.Empty(patient.PreferredGenres);
    }

    public static TheoryData<string, string, int, string?, string> BadCatalogs() => new()
    {
        { "out of range", CatalogHeader + "\nT-1,A,B,0.5,0.5,,,,,,,,,,\nT-2,A,B,1.5,0.5,,,,,,,,,,\n", 3, "valence", "out of range" },
        { "decimal comma", CatalogHeader + "\nT-1,A,B,0.5,0.5,,,,,,,,,,\nT-2,A,B,\"0,5\",0.5,,,,,,,,,,\n", 3, "valence", "is not a number" },
        { "wrong field count", CatalogHeader + "\nT-1,A,B,0.5,0.5,,,,,,,,,,\nT-2,A,B,0.5,0.5\n", 3, null, "expected 15 fields" },
        { "duplicate id", CatalogHeader + "\nT-1,A,B,0.5,0.5,,,,,,,,,,\nT-1,C,D,0.5,0.5,,,,,,,,,,\n", 3, "track_id", "duplicate id 'T-1'" },
        { "wrong header", "track,title,artist,valence,arousal\nT-1,A,B,0.5,0.5\n", 1, "track", "unknown column" },
        { "missing column", "track,title,artist,valence,arousal\nT-1,A,B,0.5,0.5\n", 1, "track_id", "required column is missing" },
        { "title too long", "track_id,title,artist,valence,arousal\nT-1,A,B,0.5,0.5\nT-2," + new string('x', 401) + ",B,0.5,0.5\n", 3, "title", "at most 400" },
    };

    [Theory]
    [MemberData(nameof(BadCatalogs))]
    public async Task A_bad_catalog_is_refused_whole_with_line_column_and_reason(string why, string csv, int line, string? column, string reason)
    {
        await using var db = await ClinicalTestDatabase.CreateAsync();

        var result = await db.ImportAsync(ClinicalDataKind.Catalog, db.File("bad.csv", csv));

        Assert.False(result.Succeeded, why);
        var error = Assert.Single(result.Errors, e => e.Line == line && e.Column == column);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await db.CountsAsync()).Tracks); // the good rows were not written either
        Assert.Equal(AuditOutcome.Refused, Assert.Single(await db.AuditAsync(AuditActions.Import)).Outcome);
    }

    [Fact]
    public async Task A_utf16_file_is_refused_on_line_1()
    {
        await using var db = await ClinicalTestDatabase.CreateAsync();
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Catalog)).ToArray();

        var result = await db.ImportAsync(ClinicalDataKind.Catalog, db.File("utf16.csv", bytes));

        var error = Assert.Single(result.Errors);
        Assert.Equal(1, error.Line);
        Assert.Contains("UTF-16", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await db.CountsAsync()).Tracks);
    }

    [Fact]
    public async Task Invalid_utf8_is_reported_on_its_line_and_nothing_is_written()
    {
        await using var db = await ClinicalTestDatabase.CreateAsync();
        var latin1 = Encoding.Latin1.GetBytes("T-4,Café,Édith Piaf,0.4,0.3,,,,,,,,,,\n");
        var bytes = Encoding.UTF8.GetBytes(Catalog).Concat(latin1).ToArray();

        var result = await db.ImportAsync(ClinicalDataKind.Catalog, db.File("latin1.csv", bytes));

        var error = Assert.Single(result.Errors);
        Assert.Equal(5, error.Line);
        Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await db.CountsAsync()).Tracks);
    }

    [Fact]
    public async Task A_stored_id_with_different_content_is_an_error_naming_the_line_the_id_and_the_columns()
    {
        await using var db = await ClinicalTestDatabase.CreateAsync();
        await db.ImportAsync(ClinicalDataKind.Catalog, db.File("catalog.csv", Catalog));
        var changed = CatalogHeader + "\n" +
            "T-9,New song,Someone,0.5,0.5,,,,,,,,,,\n" +
            "T-2,\"Rock, Around\",Bill Haley,0.81,0.70,1954,rock and roll,130,0.8,144,0.3,0,0.7,-8,1\n";

        var result = await db.ImportAsync(ClinicalDataKind.Catalog, db.File("changed.csv", changed));

        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
        Assert.Equal("track_id", error.Column);
        Assert.Contains("'T-2' is already stored with different content (arousal)", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, (await db.CountsAsync()).Tracks); // T-9 was not written
    }

    [Fact]
    public async Task Sessions_naming_unknown_tracks_or_patients_are_refused_with_their_lines()
    {
        await using var db = await ClinicalTestDatabase.CreateAsync();
        await db.ImportAsync(ClinicalDataKind.Catalog, db.File("c.csv", Catalog));
        await db.ImportAsync(ClinicalDataKind.Patients, db.File("p.csv", Patients));
        var sessions = SessionsHeader + "\n" +
            "S-1,P-1,0,T-1,2025-03-01T14:30:00Z,calm,,,0.9,,,,\n" +
            "S-1,P-1,1,T-404,2025-03-01T14:30:00Z,calm,,,0.9,,,,\n" +
            "S-2,P-404,0,T-2,2025-03-01T15:30:00Z,calm,,,0.9,,,,\n";

        var result = await db.ImportAsync(ClinicalDataKind.Sessions, db.File("s.csv", sessions));

        Assert.Equal(2, result.Errors.Count);
        Assert.Contains(result.Errors, e => e is { Line: 3, Column: "track_id" } && e.Message.Contains("unknown track 'T-404'", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e is { Line: 4, Column: "patient_id" } && e.Message.Contains("unknown patient 'P-404'", StringComparison.Ordinal));
        Assert.Equal(0, (await db.CountsAsync()).Sessions);
    }

    [Fact]
    public async Task A_clinical_session_without_targets_is_refused()
    {
        await using var db = await ClinicalTestDatabase.CreateAsync();
        await db.ImportAsync(ClinicalDataKind.Catalog, db.File("c.csv", Catalog));
        await db.ImportAsync(ClinicalDataKind.Patients, db.File("p.csv", Patients));

        var result = await db.ImportAsync(ClinicalDataKind.Sessions, db.File("s.csv",
            SessionsHeader + "\nS-1,P-1,0,T-1,2025-03-01T14:30:00Z,clinical,,,0.9,,,,\n"));

        var error = Assert.Single(result.Errors);
        Assert.Equal((2, "target_valence"), (error.Line, error.Column));
        Assert.Contains("clinician-set target", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await db.CountsAsync()).Sessions);
    }

    [Fact]
    public async Task Sessions_of_a_patient_without_consent_are_refused()
    {
        await using var db = await ClinicalTestDatabase.CreateAsync();
        await db.ImportAsync(ClinicalDataKind.Catalog, db.File("c.csv", Catalog));
        await db.ImportAsync(ClinicalDataKind.Patients, db.File("p.csv", Patients));

        var result = await db.ImportAsync(ClinicalDataKind.Sessions, db.File("s.csv",
            SessionsHeader + "\nS-3,P-3,0,T-3,2025-03-01T14:30:00Z,calm,,,0.9,,,,\n"));

        var error = Assert.Single(result.Errors);
        Assert.Equal((2, "patient_id"), (error.Line, error.Column));
        Assert.Contains("has not consented", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_large_file_is_written_in_batches_in_one_transaction_with_progress()
    {
        await using var db = await ClinicalTestDatabase.CreateAsync();
        var csv = new StringBuilder("track_id,title,artist,valence,arousal\n");
        for (var i = 0; i < 4_500; i++)
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"T-{i:D5},Title {i},Artist {i % 50},{i % 100 / 100.0},0.5\n");
        var reports = new List<DataProgress>();

        var result = await db.ImportAsync(ClinicalDataKind.Catalog, db.File("big.csv", csv.ToString()), new SynchronousProgress(reports.Add));

        Assert.Equal("4,500 new, 0 unchanged", result.Summary);
        Assert.Equal(4_500, (await db.CountsAsync()).Tracks);
        Assert.Single(await db.AuditAsync(AuditActions.Import));
        Assert.Contains(reports, r => r.Stage == "validating" && r.Fraction < 1);
        Assert.Equal(3, reports.Count(r => r.Stage == "writing")); // 2,000 + 2,000 + 500 rows
        Assert.Equal(1, reports.Last(r => r.Stage == "writing").Fraction);
    }

    private sealed class SynchronousProgress(Action<DataProgress> report) : IProgress<DataProgress>
    {
        public void Report(DataProgress value) => report(value);
    }
}
