using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Amrs.Cli.Hosting;
using Amrs.Cli.Terminal;
using Amrs.Data.Clinical;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Amrs.Cli.Data;

/// <summary><c>amrs data stats</c>: what the database holds, and calibration numbers when its world is known.</summary>
internal static class StatsCommand
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var json = new Option<FileInfo?>("--json") { Description = "Also write the numbers to this JSON file.", HelpName = "FILE" };
        var command = new Command("stats",
            "Counts (tracks, patients by setting, stage and unit, sessions by mode and source, steps), observation rates, " +
            "histograms of observed valence and arousal, and for a generated world the oracle and population-oracle R².")
        {
            json,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, cancellationToken, (host, output, error) =>
            RunAsync(host, output, error, parse.GetValue(json), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(IHost host, TextWriter output, TextWriter error, FileInfo? json, CancellationToken cancellationToken)
    {
        var database = CliHost.Describe(host.Services);
        var stats = await host.Services.GetRequiredService<ClinicalDataReader>().StatisticsAsync(cancellationToken);
        var progress = ConsoleProgress.For(error);
        var calibration = await WorldCalibration.ComputeAsync(host.Services, progress, cancellationToken);
        progress.Done();

        await output.WriteAsync(StatsReport.Text(database, stats, calibration));
        if (json is not null)
        {
            await using var file = File.Create(json.FullName);
            await JsonSerializer.SerializeAsync(file, new
            {
                database,
                statistics = stats,
                calibration = new
                {
                    available = calibration.Report is not null,
                    note = calibration.Note,
                    recipe = calibration.Recipe,
                    report = calibration.Report,
                },
            }, _json, cancellationToken);
            await output.WriteLineAsync($"Wrote {json.FullName}");
        }
        return ExitCodes.Ok;
    }
}

/// <summary>The text form of the statistics.</summary>
internal static class StatsReport
{
    public static string Text(string database, ClinicalDataStatistics s, WorldCalibrationResult calibration)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        text.WriteLine($"Database: {database}");
        text.WriteLine($"Tracks:   {s.Tracks:N0}");
        text.WriteLine($"Patients: {s.Patients:N0}");
        text.WriteLine($"  by setting: {Counts(s.PatientsBySetting)}");
        text.WriteLine($"  by stage:   {Counts(s.PatientsByStage)}");
        text.WriteLine($"  by unit:    {Counts(s.PatientsByUnit)}");
        text.WriteLine($"Sessions: {s.Sessions:N0}");
        text.WriteLine($"  by mode:    {Counts(s.SessionsByMode)}");
        text.WriteLine($"  by source:  {Counts(s.SessionsBySource)}");
        text.WriteLine($"Steps:    {s.Steps:N0} (tracks played)");
        text.WriteLine($"  observed: rating {s.RatingRate:P1}, valence {s.ValenceRate:P1}, arousal {s.ArousalRate:P1} of steps");
        Histogram(text, "Observed valence", s.Valence);
        Histogram(text, "Observed arousal", s.Arousal);

        text.WriteLine();
        if (calibration.Report is { } r && calibration.Recipe is { } recipe)
        {
            text.WriteLine($"Calibration against the truth ({recipe.World} world, seed {recipe.Seed}, {recipe.PatientCount:N0} patients, config {r.ConfigHash[..12]}):");
            text.WriteLine($"  oracle R²             valence {r.OracleR2Valence,7:F3}   arousal {r.OracleR2Arousal,7:F3}   ({r.AffectObservations:N0} observations)");
            text.WriteLine($"  population-oracle R²  valence {r.PopulationR2Valence,7:F3}   arousal {r.PopulationR2Arousal,7:F3}");
            text.WriteLine($"  engagement R²         oracle {r.OracleR2Engagement:F3}, population {r.PopulationR2Engagement:F3}; rating AUC oracle {r.OracleAucRating:F3}, population {r.PopulationAucRating:F3}");
        }
        else
        {
            text.WriteLine($"Calibration: not available: {calibration.Note}.");
        }
        return text.ToString();
    }

    private static string Counts(IReadOnlyDictionary<string, int> counts) =>
        counts.Count == 0 ? "-" : string.Join(", ", counts.Select(c => $"{c.Key} {c.Value:N0}"));

    private static void Histogram(TextWriter text, string title, Histogram histogram)
    {
        text.WriteLine($"{title} (n = {histogram.Total:N0}):");
        var max = Math.Max(1, histogram.Bins.Max());
        for (var i = 0; i < histogram.Bins.Count; i++)
        {
            var low = (double)i / Amrs.Data.Clinical.Histogram.BinCount;
            var bar = new string('#', (int)Math.Round(40.0 * histogram.Bins[i] / max));
            text.WriteLine($"  {low:F1}-{low + 0.1:F1} |{bar,-40} {histogram.Bins[i],8:N0}");
        }
    }
}
