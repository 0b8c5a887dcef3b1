using Amrs.Core.Audit;
using Amrs.Core.Sessions;
using Amrs.Data;
using Amrs.Data.Clinical;
using Amrs.Simulation.Calibration;
using Amrs.Simulation.Generation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Cli.Data;

/// <summary>Calibration numbers for the stored world, or why there are none.</summary>
internal sealed record WorldCalibrationResult(WorldRecipe? Recipe, CalibrationReport? Report, string Note);

/// <summary>
/// The truth behind stored data is known only for a generated world. Nothing extra is stored for it: the
/// generation's audit entry names the recipe and the sessions' fingerprint; the world is made again from the
/// recipe and used only if the stored generated sessions, the recorded fingerprint and the regenerated sessions
/// all agree (so edits to the data, or a changed simulator, can never give wrong numbers).
/// </summary>
internal static class WorldCalibration
{
    public static async Task<WorldCalibrationResult> ComputeAsync(IServiceProvider services, IProgress<WorldProgress>? progress, CancellationToken cancellationToken)
    {
        var contexts = services.GetRequiredService<IDbContextFactory<ClinicDbContext>>();
        string? details;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            details = await db.AuditEntries.AsNoTracking()
                .Where(e => e.Action == AuditActions.DataGenerated && e.Outcome == AuditOutcome.Success)
                .OrderByDescending(e => e.Sequence)
                .Select(e => e.Details)
                .FirstOrDefaultAsync(cancellationToken);
        }
        if (details is null)
            return new(null, null, "no generated world in this database (only a generated world has a known truth)");
        if (WorldRecipe.FromAuditDetails(details) is not var (recipe, recorded))
            return new(null, null, "the generation's audit entry does not name a shipped world");

        var stored = new SessionFingerprint();
        await foreach (var session in services.GetRequiredService<ClinicalDataReader>().SessionsAsync(SessionSource.Generated, cancellationToken))
            stored.Add(session);
        if (stored.Value != recorded)
            return new(recipe, null, $"the {stored.Count:N0} generated sessions in the database are not the ones recorded at generation (fingerprint differs)");

        var world = await Task.Run(() => WorldGenerator.Generate(recipe.Config, progress, cancellationToken), cancellationToken);
        if (SessionFingerprint.Of(world.Sessions) != recorded)
            return new(recipe, null, "the world made again from its recipe differs from the stored one (has the simulator changed since?)");
        var report = await Task.Run(() => SimulationStats.Calibration(world), cancellationToken);
        return new(recipe, report, "the stored generated sessions match the world made again from its recipe");
    }
}
