using System.Text.Json;
using Amrs.Core.Audit;
using Amrs.Core.Ethics;
using Amrs.Data;
using Amrs.Data.Audit;
using Amrs.Data.Governance;
using Amrs.Engine.Store;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Clinic.Services.Engine;

/// <summary>
/// Registers the model bundle shipped in the repository's models/ folder (copied beside the clinic at build
/// time). Until model governance promotes another bundle, the shipped bundle counts as promoted for care; the
/// first run records that decision in the audit trail.
/// </summary>
public static class ShippedModels
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "models");

    public static async Task RegisterShippedModelsAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ShippedModels));
        if (!Directory.Exists(Folder))
        {
            logger.LogWarning("No shipped models at {Folder}: previews stay unavailable until a bundle is registered.", Folder);
            return;
        }
        var store = new ModelStore(Folder);
        var bundleIds = Directory.EnumerateDirectories(Folder)
            .Where(d => File.Exists(Path.Combine(d, BundleManifest.FileName)))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();
        var contexts = services.GetRequiredService<IDbContextFactory<ClinicDbContext>>();
        var audit = services.GetRequiredService<AuditLog>();
        var clock = services.GetRequiredService<TimeProvider>();
        foreach (var bundleId in bundleIds)
        {
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                if (await db.ModelBundles.AnyAsync(b => b.BundleId == bundleId, cancellationToken)) continue;
            }
            var manifest = store.OpenBundle(bundleId); // verifies every model's card; refuses a changed file
            var cards = manifest.Models.Select(m => store.Open(m.ModelId).Card).ToList();
            var worldModelCard = cards.First(c => c.Id == manifest.ModelFor(BundleRoles.WorldModel));
            await audit.RecordAsync(async db =>
            {
                var promoted = !await db.ModelBundles.AnyAsync(b => b.Status == ModelCareStatus.PromotedForCare, cancellationToken);
                var now = clock.GetUtcNow();
                db.ModelBundles.Add(new ModelBundleEntity
                {
                    BundleId = bundleId,
                    Status = promoted ? ModelCareStatus.PromotedForCare : ModelCareStatus.Candidate,
                    Location = Folder,
                    CardsJson = JsonSerializer.Serialize(cards),
                    DataFingerprint = worldModelCard.TrainingDataFingerprint,
                    RegisteredAt = now,
                    Shipped = true,
                    PromotedAt = promoted ? now : null,
                    PromotedByName = promoted ? AuditActors.SystemName : null,
                    PromotionMeaning = promoted ? "Shipped bundle, promoted for care until model governance promotes another" : null,
                });
                var draft = new AuditDraft(now, AuditActors.SystemId, AuditActors.SystemName, AuditActors.SystemRole,
                    promoted ? AuditActions.ModelPromoted : AuditActions.ModelProposed, AuditEntityTypes.ModelVersion, bundleId, null,
                    AuditOutcome.Success, AuditDetails.Of(new
                    {
                        shipped = true, promotedForCare = promoted, models = manifest.Models.Select(m => new { m.Role, m.ModelId, m.CardSha256 }),
                        dataFingerprint = worldModelCard.TrainingDataFingerprint, simulatorConfigHash = worldModelCard.SimulatorConfigHash,
                    }));
                return ((IReadOnlyList<AuditDraft>)[draft], promoted);
            }, cancellationToken);
            logger.LogInformation("Registered the shipped model bundle {Bundle}", bundleId);
        }
    }
}
