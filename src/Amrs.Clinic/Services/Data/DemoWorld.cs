using System.Diagnostics;
using Amrs.Core.Audit;
using Amrs.Data.Clinical;
using Amrs.Data.Seeding;
using Amrs.Simulation.Generation;
using Microsoft.Extensions.Options;

namespace Amrs.Clinic.Services.Data;

/// <summary>
/// On the first start with an empty database (and Demo:GenerateWorld on), generates the demo world and stores
/// it before the clinic serves requests, logging each stage's progress. A database that holds any clinical data
/// is left as it is, so a second start (or a second instance) never generates again.
/// </summary>
public sealed class DemoWorld(
    ClinicalDataWriter writer, WorldRecipe recipe, IOptions<DemoOptions> demo, TimeProvider clock, ILogger<DemoWorld> logger)
{
    public async Task EnsureAsync(CancellationToken cancellationToken = default)
    {
        if (!demo.Value.GenerateWorld)
            return;
        var existing = await writer.CountAsync(cancellationToken);
        if (!existing.IsEmpty)
        {
            logger.LogInformation("Clinical data present ({Counts}); no demo world generated.", existing);
            return;
        }

        logger.LogInformation("Empty database: generating the {World} demo world (seed {Seed}, {Patients} patients, {Tracks} tracks). Turn this off with Demo:GenerateWorld=false.",
            recipe.World, recipe.Seed, recipe.PatientCount, recipe.TrackCount);
        var timer = Stopwatch.StartNew();
        var progress = new LoggedProgress(logger);
        var world = await Task.Run(() => WorldGenerator.Generate(recipe.Config, progress, cancellationToken), cancellationToken);
        var audit = new AuditDraft(clock.GetUtcNow(), AuditActors.SystemId, AuditActors.SystemName, AuditActors.SystemRole,
            AuditActions.DataGenerated, AuditEntityTypes.Dataset, $"world:{recipe.World}", null, AuditOutcome.Success,
            recipe.AuditDetails(world));
        try
        {
            var counts = await writer.WriteAsync(new ClinicalDataSet(world.Catalog, world.Patients, world.Sessions),
                SessionSource.Generated, audit, progress, cancellationToken);
            logger.LogInformation("Demo world ready: {Counts} in {Seconds:F1} s.", counts, timer.Elapsed.TotalSeconds);
        }
        catch (ClinicalDataExistsException e)
        {
            logger.LogInformation("Another process stored clinical data first ({Counts}); no demo world generated.", e.Counts);
        }
    }

    /// <summary>Logs a stage's progress at every tenth.</summary>
    private sealed class LoggedProgress(ILogger logger) : IProgress<WorldProgress>, IProgress<DataProgress>
    {
        private string? _stage;
        private int _tenth = -1;

        public void Report(WorldProgress value) =>
            Log($"generating {value.Stage}", value.Total == 0 ? 1 : (double)value.Completed / value.Total);

        public void Report(DataProgress value) => Log($"storing ({value.Rows:N0} rows)", value.Fraction, "storing");

        private void Log(string text, double fraction, string? stage = null)
        {
            stage ??= text;
            var tenth = (int)(Math.Clamp(fraction, 0, 1) * 10);
            if (stage == _stage && tenth == _tenth)
                return;
            _stage = stage;
            _tenth = tenth;
            logger.LogInformation("Demo world: {Stage} {Percent:P0}", text, fraction);
        }
    }
}
