using System.Text.Json;
using Amrs.Core.Import;
using Amrs.Core.Sessions;
using Amrs.Data;
using Amrs.Data.Clinical;
using Amrs.Data.Database;
using Amrs.Simulation.Calibration;
using Amrs.Simulation.Generation;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Cli.Tests.Data;

/// <summary>The data verbs end to end on temporary SQLite files.</summary>
public sealed class DataVerbTests : IDisposable
{
    private static readonly WorldRecipe Small = WorldRecipe.For(WorldRecipe.DefaultWorld, patients: 12, tracks: 200);
    private readonly CliRun _cli = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _cli.Dispose();

    private Task<CliResult> GenerateAsync(string database, params string[] more) =>
        CliRun.RunAsync(["data", "generate", "--patients", "12", "--tracks", "200", "--database", database, .. more]);

    [Fact]
    public async Task Generate_fills_an_empty_database_once_and_then_refuses()
    {
        var database = _cli.PathOf("world.db");

        var first = await GenerateAsync(database);
        var second = await GenerateAsync(database);

        Assert.Equal(ExitCodes.Ok, first.Exit);
        var world = WorldGenerator.Generate(Small.Config, cancellationToken: Cancel);
        Assert.Contains($"Generated 200 tracks, 12 patients, {world.Sessions.Count:N0} sessions", first.Output, StringComparison.Ordinal);
        Assert.Contains("generating sessions: 100%", first.Error, StringComparison.Ordinal);
        Assert.Contains("writing: 100%", first.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Refused, second.Exit);
        Assert.Contains("already holds clinical data", second.Error, StringComparison.Ordinal);
        Assert.Contains("--database", second.Error, StringComparison.Ordinal);
        await using var db = Context(database);
        Assert.Equal(world.Sessions.Count, await db.SessionLogs.CountAsync(s => s.Source == SessionSource.Generated, Cancel));
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == Core.Audit.AuditActions.DataGenerated && e.ActorId == "cli", Cancel));
    }

    [Fact]
    public async Task Exported_files_import_into_a_fresh_database_as_the_same_world_and_again_as_unchanged()
    {
        var outDir = _cli.PathOf("export");
        Assert.Equal(ExitCodes.Ok, (await GenerateAsync(_cli.PathOf("world.db"), "--out", outDir)).Exit);
        var copy = _cli.PathOf("copy.db");
        var world = WorldGenerator.Generate(Small.Config, cancellationToken: Cancel);

        var imports = new List<CliResult>();
        foreach (var kind in new[] { "catalog", "patients", "sessions" })
            imports.Add(await CliRun.RunAsync("data", "import", kind, Path.Combine(outDir, $"{kind}.csv"), "--database", copy));
        var again = await CliRun.RunAsync("data", "import", "sessions", Path.Combine(outDir, "sessions.csv"), "--database", copy);

        Assert.All(imports, r => Assert.Equal(ExitCodes.Ok, r.Exit));
        Assert.Contains("catalog.csv: 200 new, 0 unchanged", imports[0].Output, StringComparison.Ordinal);
        Assert.Contains("patients.csv: 12 new, 0 unchanged", imports[1].Output, StringComparison.Ordinal);
        Assert.Contains($"sessions.csv: {world.Sessions.Count} new, 0 unchanged", imports[2].Output, StringComparison.Ordinal);
        Assert.Contains($"sessions.csv: 0 new, {world.Sessions.Count} unchanged", again.Output, StringComparison.Ordinal);

        await using var db = Context(copy);
        var tracks = (await db.Tracks.AsNoTracking().ToListAsync(Cancel)).Select(t => t.ToDomain()).OrderBy(t => t.TrackId, StringComparer.Ordinal);
        Assert.Equal(world.Catalog, tracks);
        var patients = (await db.Patients.AsNoTracking().ToListAsync(Cancel)).Select(p => p.ToDomain()).OrderBy(p => p.PatientId, StringComparer.Ordinal);
        Assert.Equal(Csv(s => PatientCsv.Write(s, world.Patients)), Csv(s => PatientCsv.Write(s, patients)));
        var sessions = (await db.SessionLogs.AsNoTracking().Include(s => s.Steps).ToListAsync(Cancel)).Select(s => s.ToDomain());
        Assert.Equal(SessionFingerprint.Of(world.Sessions), SessionFingerprint.Of(sessions));
    }

    [Fact]
    public async Task A_bad_file_exits_1_lists_each_error_with_its_line_and_writes_nothing()
    {
        var file = _cli.PathOf("bad.csv");
        await File.WriteAllTextAsync(file, "track_id,title,artist,valence,arousal\nT-1,A,B,0.5,0.5\nT-2,A,B,1.5,0.5\nT-3,,B,0.5,0.5\n", Cancel);
        var database = _cli.PathOf("clinic.db");

        var result = await CliRun.RunAsync("data", "import", "catalog", file, "--database", database);

        Assert.Equal(ExitCodes.Refused, result.Exit);
        Assert.Contains("bad.csv: 2 errors; nothing was imported.", result.Error, StringComparison.Ordinal);
        Assert.Contains("line 3, column 'valence': 1.5 is out of range 0..1", result.Error, StringComparison.Ordinal);
        Assert.Contains("line 4, column 'title': a value is required", result.Error, StringComparison.Ordinal);
        await using var db = Context(database);
        Assert.Equal(0, await db.Tracks.CountAsync(Cancel));
    }

    [Fact]
    public async Task A_missing_file_exits_1_naming_it()
    {
        var result = await CliRun.RunAsync("data", "import", "patients", _cli.PathOf("nowhere.csv"), "--database", _cli.PathOf("clinic.db"));

        Assert.Equal(ExitCodes.Refused, result.Exit);
        Assert.Contains("nowhere.csv' does not exist", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_of_a_generated_world_show_counts_histograms_and_the_calibration_of_that_world()
    {
        var database = _cli.PathOf("world.db");
        await GenerateAsync(database);
        var json = _cli.PathOf("stats.json");

        var result = await CliRun.RunAsync("data", "stats", "--database", database, "--json", json);

        Assert.Equal(ExitCodes.Ok, result.Exit);
        Assert.Contains("Tracks:   200", result.Output, StringComparison.Ordinal);
        Assert.Contains("by source:  generated", result.Output, StringComparison.Ordinal);
        Assert.Contains("Observed valence (n = ", result.Output, StringComparison.Ordinal);
        Assert.Contains("0.6-0.7 |", result.Output, StringComparison.Ordinal);
        Assert.Contains("oracle R²", result.Output, StringComparison.Ordinal);
        var expected = SimulationStats.Calibration(WorldGenerator.Generate(Small.Config, cancellationToken: Cancel));
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json, Cancel));
        var calibration = document.RootElement.GetProperty("calibration");
        Assert.True(calibration.GetProperty("available").GetBoolean());
        Assert.Equal(expected.OracleR2Valence, calibration.GetProperty("report").GetProperty("oracleR2Valence").GetDouble());
        Assert.Equal(expected.PopulationR2Arousal, calibration.GetProperty("report").GetProperty("populationR2Arousal").GetDouble());
        Assert.Equal(200, document.RootElement.GetProperty("statistics").GetProperty("tracks").GetInt32());
    }

    [Fact]
    public async Task Stats_of_imported_data_say_why_there_is_no_calibration()
    {
        var database = _cli.PathOf("clinic.db");
        var file = _cli.PathOf("catalog.csv");
        await File.WriteAllTextAsync(file, "track_id,title,artist,valence,arousal\nT-1,A,B,0.5,0.5\n", Cancel);
        await CliRun.RunAsync("data", "import", "catalog", file, "--database", database);

        var result = await CliRun.RunAsync("data", "stats", "--database", database);

        Assert.Equal(ExitCodes.Ok, result.Exit);
        Assert.Contains("Tracks:   1", result.Output, StringComparison.Ordinal);
        Assert.Contains("Calibration: not available: no generated world in this database", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_refuse_calibration_when_the_generated_sessions_were_changed()
    {
        var database = _cli.PathOf("world.db");
        await GenerateAsync(database);
        await using (var db = Context(database))
            await db.SessionSteps.Where(s => s.Position == 0).ExecuteUpdateAsync(u => u.SetProperty(s => s.Engagement, 0.5), Cancel);

        var result = await CliRun.RunAsync("data", "stats", "--database", database);

        Assert.Equal(ExitCodes.Ok, result.Exit);
        Assert.Contains("not the ones recorded at generation (fingerprint differs)", result.Output, StringComparison.Ordinal);
    }

    private static ClinicDbContext Context(string file)
    {
        var options = new DbContextOptionsBuilder<ClinicDbContext>();
        DatabaseSetup.Configure(options, new DatabaseOptions(), $"Data Source={file}");
        return new ClinicDbContext(options.Options);
    }

    private static string Csv(Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
