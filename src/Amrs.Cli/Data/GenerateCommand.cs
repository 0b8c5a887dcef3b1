using System.CommandLine;
using System.Diagnostics;
using Amrs.Cli.Hosting;
using Amrs.Cli.Terminal;
using Amrs.Core.Audit;
using Amrs.Core.Import;
using Amrs.Data.Clinical;
using Amrs.Simulation.Generation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Amrs.Cli.Data;

/// <summary><c>amrs data generate</c>: the generated world into an empty database (and optionally CSV files).</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var patients = Positive(new Option<int?>("--patients") { Description = "Patients in the cohort (default: the world's, 1000).", HelpName = "N" });
        var tracks = Positive(new Option<int?>("--tracks") { Description = "Tracks in the catalog (default: the world's, 3000).", HelpName = "N" });
        var seed = new Option<int?>("--seed") { Description = "Seed of the world (default: the world's own).", HelpName = "S" };
        var world = new Option<string>("--world")
        {
            Description = "Which shipped configuration: default (calibrated) or alt (other trait spreads, never tuned).",
            DefaultValueFactory = _ => WorldRecipe.DefaultWorld,
        };
        world.AcceptOnlyFromAmong([.. WorldRecipe.Worlds]);
        var outDir = new Option<DirectoryInfo?>("--out")
        {
            Description = "Also write catalog.csv, patients.csv and sessions.csv (the import formats) to this folder.",
            HelpName = "DIR",
        };

        var command = new Command("generate",
            "Fill an empty database with a generated world: catalog, patients and logged sessions (source Generated), " +
            "in one transaction with an audit entry. Refuses a database that already holds clinical data.")
        {
            patients, tracks, seed, world, outDir,
        };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, cancellationToken, (host, output, error) =>
            RunAsync(host, output, error,
                WorldRecipe.For(parse.GetValue(world)!, parse.GetValue(seed), parse.GetValue(patients), parse.GetValue(tracks)),
                parse.GetValue(outDir), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(
        IHost host, TextWriter output, TextWriter error, WorldRecipe recipe, DirectoryInfo? outDir, CancellationToken cancellationToken)
    {
        var writer = host.Services.GetRequiredService<ClinicalDataWriter>();
        var database = CliHost.Describe(host.Services);
        var existing = await writer.CountAsync(cancellationToken);
        if (!existing.IsEmpty)
            return await RefuseAsync(error, database, existing);

        await output.WriteLineAsync(
            $"Generating the {recipe.World} world (seed {recipe.Seed}, {recipe.PatientCount:N0} patients, {recipe.TrackCount:N0} tracks) into {database}");
        var clock = Stopwatch.StartNew();
        var progress = ConsoleProgress.For(error);
        var world = await Task.Run(() => WorldGenerator.Generate(recipe.Config, progress, cancellationToken), cancellationToken);
        var generated = clock.Elapsed;

        if (outDir is not null)
        {
            Directory.CreateDirectory(outDir.FullName);
            await WriteCsvAsync(Path.Combine(outDir.FullName, "catalog.csv"), s => CatalogCsv.Write(s, world.Catalog), cancellationToken);
            await WriteCsvAsync(Path.Combine(outDir.FullName, "patients.csv"), s => PatientCsv.Write(s, world.Patients), cancellationToken);
            await WriteCsvAsync(Path.Combine(outDir.FullName, "sessions.csv"), s => SessionLogCsv.Write(s, world.Sessions), cancellationToken);
        }

        var audit = new AuditDraft(DateTimeOffset.UtcNow, CliHost.Actor.Id, CliHost.Actor.Name, CliHost.Actor.Role,
            AuditActions.DataGenerated, AuditEntityTypes.Dataset, $"world:{recipe.World}", null, AuditOutcome.Success,
            recipe.AuditDetails(world));
        ClinicalDataCounts counts;
        try
        {
            counts = await writer.WriteAsync(new ClinicalDataSet(world.Catalog, world.Patients, world.Sessions), SessionSource.Generated,
                audit, progress, cancellationToken);
        }
        catch (ClinicalDataExistsException e)
        {
            progress.Done();
            return await RefuseAsync(error, database, e.Counts); // another process filled it meanwhile
        }
        progress.Done();

        await output.WriteLineAsync($"Generated {counts} (config {world.Config.ConfigHash[..12]}) in {generated.TotalSeconds:F1} s; " +
            $"stored in {(clock.Elapsed - generated).TotalSeconds:F1} s.");
        if (outDir is not null)
            await output.WriteLineAsync($"Wrote catalog.csv, patients.csv and sessions.csv to {outDir.FullName}");
        return ExitCodes.Ok;
    }

    private static async Task<int> RefuseAsync(TextWriter error, string database, ClinicalDataCounts existing)
    {
        await error.WriteLineAsync(
            $"amrs: {database} already holds clinical data ({existing}); generation only fills an empty database. " +
            "Use a fresh file with --database PATH (for example --database ./world.db).");
        return ExitCodes.Refused;
    }

    private static async Task WriteCsvAsync(string path, Action<Stream> write, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024);
        await Task.Run(() => write(file), cancellationToken);
    }

    private static Option<int?> Positive(Option<int?> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
                result.AddError($"{option.Name} must be at least 1.");
        });
        return option;
    }
}
