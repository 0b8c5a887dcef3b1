using Amrs.Clinic.Services.Engine;
using Amrs.Clinic.Services.Patients;
using Amrs.Clinic.Services.Preview;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Affect;
using Amrs.Core.Audit;
using Amrs.Core.Ethics;
using Amrs.Core.Security;
using Amrs.Core.Utility;
using Amrs.Data;
using Amrs.Data.Care;
using Amrs.Data.Governance;
using Amrs.Data.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Services;

/// <summary>
/// The real engine with the bundle shipped in models/: registered and promoted at start-up, it proposes, rolls
/// out, and a clinician signs the previewed list (the approval decodes again and must get the same list).
/// </summary>
public sealed class ShippedEnginePreviewTests(ClinicFactory factory) : IClassFixture<ClinicFactory>
{
    private static string Clinician => DemoAccounts.For(Roles.Clinician).UserName;

    [Fact]
    public async Task The_shipped_bundle_is_promoted_at_first_start_and_the_promotion_is_audited()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var bundle = await scope.ServiceProvider.GetRequiredService<ICareEngine>().CareBundleAsync();

        Assert.NotNull(bundle);
        Assert.True(bundle.ServesCare);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.ModelPromoted && e.EntityId == bundle.BundleId));
    }

    [Fact]
    public async Task A_clinician_previews_the_model_proposal_and_signs_it()
    {
        var me = await SignedInScope.UserIdAsync(factory, Clinician);
        var patient = await ClinicalSeed.AddPatientAsync(factory.Services, me);
        await using var scope = await SignedInScope.ForAsync(factory, Clinician);
        var profile = UtilityProfile.DefaultFor(SessionMode.Calm) with { PlaylistLength = 5 };
        Assert.True((await scope.ServiceProvider.GetRequiredService<UtilityProfiles>().SaveAsync(patient, profile, "calmer evenings")).Succeeded);

        var outcome = await scope.ServiceProvider.GetRequiredService<PlaylistPreviews>().PreviewAsync(patient);

        Assert.True(outcome.Succeeded, string.Join(" ", outcome.Errors));
        var preview = outcome.Preview!;
        Assert.Equal(PreviewKind.ModelProposal, preview.Kind);
        Assert.False(preview.SimulationOnly);
        Assert.Equal(5, preview.Tracks.Count);
        Assert.Equal(5, preview.Simulation.Steps.Count);
        Assert.All(preview.Simulation.Steps, s =>
        {
            Assert.InRange(s.Valence.P10, 0, s.Valence.P90);
            Assert.InRange(s.Arousal.Mean, 0, 1);
        });
        Assert.All(preview.Tracks, t => Assert.True(t.Arousal <= ModeTargets.MaxTrackArousal(SessionMode.Calm)));
        Assert.NotEmpty(preview.ComparisonTracks);

        var approvals = scope.ServiceProvider.GetRequiredService<PlaylistApprovals>();
        var wrong = await approvals.ApproveAsync(preview.PreviewId, "not-my-password", true, DateOnly.FromDateTime(DateTime.UtcNow), null);
        Assert.False(wrong.Succeeded);
        var signed = await approvals.ApproveAsync(preview.PreviewId, ClinicFactory.DemoPassword, true, DateOnly.FromDateTime(DateTime.UtcNow), "after lunch");

        Assert.True(signed.Succeeded, string.Join(" ", signed.Errors));
        Assert.Equal(ApprovalStatus.Approved, signed.Approval!.Status);
        Assert.Equal("Dr. Dana Clinician", signed.Approval.SignerPrintedName);
        Assert.Equal(preview.Tracks.Select(t => t.TrackId), signed.Approval.TrackIds);
        Assert.Equal(ApprovalBinding.Compute(signed.Approval.ToBoundPlaylist()), signed.Approval.BindingHash);
    }

    [Fact]
    public async Task A_bundle_whose_files_are_gone_refuses_the_preview_with_the_reason_and_the_engine_keeps_serving()
    {
        var me = await SignedInScope.UserIdAsync(factory, Clinician);
        var patient = await ClinicalSeed.AddPatientAsync(factory.Services, me);
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync())
        {
            // Registered once, its folder since removed (an upgrade that cleaned the build output, for example).
            db.ModelBundles.Add(new ModelBundleEntity
            {
                BundleId = "bundle-gone", Status = ModelCareStatus.Candidate, Location = Path.Combine(Path.GetTempPath(), "amrs-no-such-store"),
                CardsJson = "[]", DataFingerprint = "none", RegisteredAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }
        await using var scope = await SignedInScope.ForAsync(factory, Clinician);
        var profile = UtilityProfile.DefaultFor(SessionMode.Calm) with { PlaylistLength = 5 };
        Assert.True((await scope.ServiceProvider.GetRequiredService<UtilityProfiles>().SaveAsync(patient, profile, "calm")).Succeeded);
        var previews = scope.ServiceProvider.GetRequiredService<PlaylistPreviews>();

        var gone = await previews.PreviewAsync(patient, bundleId: "bundle-gone");
        var care = await previews.PreviewAsync(patient);

        Assert.False(gone.Succeeded);
        Assert.StartsWith("The model bundle bundle-gone cannot be loaded: ", gone.Errors.Single(), StringComparison.Ordinal);
        Assert.True(care.Succeeded, string.Join(" ", care.Errors));
    }

    [Fact]
    public async Task A_preview_made_before_the_goals_changed_cannot_be_signed()
    {
        var me = await SignedInScope.UserIdAsync(factory, Clinician);
        var patient = await ClinicalSeed.AddPatientAsync(factory.Services, me);
        await using var scope = await SignedInScope.ForAsync(factory, Clinician);
        var profiles = scope.ServiceProvider.GetRequiredService<UtilityProfiles>();
        await profiles.SaveAsync(patient, UtilityProfile.DefaultFor(SessionMode.Calm) with { PlaylistLength = 4 }, "first");
        var preview = (await scope.ServiceProvider.GetRequiredService<PlaylistPreviews>().PreviewAsync(patient)).Preview!;
        await profiles.SaveAsync(patient, UtilityProfile.DefaultFor(SessionMode.Sleep) with { PlaylistLength = 4 }, "now sleep");

        var signed = await scope.ServiceProvider.GetRequiredService<PlaylistApprovals>()
            .ApproveAsync(preview.PreviewId, ClinicFactory.DemoPassword, true, DateOnly.FromDateTime(DateTime.UtcNow), null);

        Assert.False(signed.Succeeded);
        Assert.Contains(signed.Errors, e => e.Contains("goals changed", StringComparison.Ordinal));
    }
}
