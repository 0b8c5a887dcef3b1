using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Delivery;
using Amrs.Clinic.Services.Engine;
using Amrs.Clinic.Services.Governance;
using Amrs.Clinic.Services.Patients;
using Amrs.Clinic.Services.Preview;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Affect;
using Amrs.Core.Audit;
using Amrs.Core.Ethics;
using Amrs.Core.Security;
using Amrs.Core.Utility;
using Amrs.Data;
using Amrs.Data.Identity;
using Amrs.Data.Seeding;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Services.Governance;

/// <summary>
/// Promotion for care and rollback through the real clinic and engine: an Admin proposes, a different person who
/// is a Clinician signs with password and meaning; then previews, approvals and session starts follow the new bundle.
/// </summary>
public sealed class ModelPromotionTests(GovernanceClinic clinic) : IClassFixture<GovernanceClinic>
{
    private static string Admin => DemoAccounts.For(Roles.Admin).UserName;
    private static string Clinician => DemoAccounts.For(Roles.Clinician).UserName;
    private static string Password => ClinicFactory.DemoPassword;

    [Fact]
    public async Task An_admin_proposes_a_clinician_signs_and_the_bundle_serves_care_while_the_one_before_is_retired()
    {
        var before = await CareBundleIdAsync();
        var candidate = await BundleCopies.RegisterCandidateAsync(clinic.Services, clinic.ModelStoreRoot);

        Assert.True((await AsAsync(Admin, r => r.ProposeAsync(candidate, "better valence fidelity on the test patients"))).Succeeded);
        Assert.Equal(before, await CareBundleIdAsync()); // proposed is not promoted
        var signed = await AsAsync(Clinician, r => r.SignAsync(candidate, Password, meaningConfirmed: true));

        Assert.True(signed.Succeeded, string.Join(" ", signed.Errors));
        Assert.Equal(candidate, await CareBundleIdAsync());
        await using var db = await DbAsync();
        var promoted = await db.ModelBundles.SingleAsync(b => b.BundleId == candidate);
        Assert.Equal((ModelCareStatus.PromotedForCare, DemoAccounts.For(Roles.Clinician).FullName, ModelRegistry.PromotionMeaning),
            (promoted.Status, promoted.PromotedByName, promoted.PromotionMeaning));
        Assert.Equal(ModelCareStatus.Retired, (await db.ModelBundles.SingleAsync(b => b.BundleId == before)).Status);
        var actions = await db.AuditEntries.Where(e => e.EntityId == candidate).OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync();
        Assert.Equal([AuditActions.ModelProposed, AuditActions.ModelPromoted], actions);
    }

    [Fact]
    public async Task A_bundle_whose_files_changed_is_neither_proposed_nor_signed_and_care_keeps_the_bundle_that_works()
    {
        var before = await CareBundleIdAsync();
        // Two copies in stores of their own, so damaging one's files leaves every other test's bundles whole.
        var unloadable = await BundleCopies.RegisterCandidateAsync(clinic.Services, Path.Combine(clinic.ModelStoreRoot, "damaged-before-proposal"));
        var damagedLater = await BundleCopies.RegisterCandidateAsync(clinic.Services, Path.Combine(clinic.ModelStoreRoot, "damaged-before-signature"));
        await DamageWeightsAsync(unloadable);

        var proposed = await AsAsync(Admin, r => r.ProposeAsync(unloadable, "looks better"));

        Assert.False(proposed.Succeeded);
        Assert.Contains($"The model bundle {unloadable} cannot be loaded", proposed.Errors.Single(), StringComparison.Ordinal);
        Assert.Equal(ModelCareStatus.Candidate, await StatusAsync(unloadable));

        Assert.True((await AsAsync(Admin, r => r.ProposeAsync(damagedLater, "looks better"))).Succeeded);
        await DamageWeightsAsync(damagedLater);
        var signed = await AsAsync(Clinician, r => r.SignAsync(damagedLater, Password, meaningConfirmed: true));

        Assert.False(signed.Succeeded);
        Assert.Contains("cannot be loaded", signed.Errors.Single(), StringComparison.Ordinal);
        Assert.Equal(ModelCareStatus.Proposed, await StatusAsync(damagedLater));
        Assert.Equal(before, await CareBundleIdAsync());
        await using var db = await DbAsync();
        var refusals = await db.AuditEntries.Where(e => (e.EntityId == unloadable || e.EntityId == damagedLater) && e.Outcome == AuditOutcome.Refused)
            .OrderBy(e => e.Sequence).Select(e => new { e.EntityId, e.Action }).ToListAsync();
        Assert.Equal([new { EntityId = unloadable, Action = AuditActions.ModelProposed }, new { EntityId = damagedLater, Action = AuditActions.ModelPromoted }], refusals);
    }

    /// <summary>Flips one byte of the bundle's world-model weights in its own store, as a disk fault or an edit would.</summary>
    private async Task DamageWeightsAsync(string bundleId)
    {
        await using var db = await DbAsync();
        var location = (await db.ModelBundles.SingleAsync(b => b.BundleId == bundleId)).Location;
        var worldModel = new Amrs.Engine.Store.ModelStore(location).OpenBundle(bundleId).ModelFor(Amrs.Engine.Store.BundleRoles.WorldModel);
        var weights = Directory.EnumerateFiles(Path.Combine(location, worldModel)).First(f => !f.EndsWith(".json", StringComparison.Ordinal));
        var bytes = await File.ReadAllBytesAsync(weights);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(weights, bytes);
    }

    [Fact]
    public async Task The_proposer_cannot_sign_even_when_they_also_hold_the_clinician_role()
    {
        var both = await ClinicFactory.CreateAccountAsync(clinic.Services, Roles.Admin, "Both-Roles-2026x");
        await using (var scope = clinic.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
            await users.AddToRoleAsync((await users.FindByNameAsync(both))!, Roles.Clinician);
        }
        var candidate = await BundleCopies.RegisterCandidateAsync(clinic.Services, clinic.ModelStoreRoot);
        Assert.True((await AsAsync(both, r => r.ProposeAsync(candidate, "mine"))).Succeeded);

        var signed = await AsAsync(both, r => r.SignAsync(candidate, "Both-Roles-2026x", meaningConfirmed: true));

        Assert.False(signed.Succeeded);
        Assert.Contains("two-person rule", signed.Errors.Single());
        Assert.Equal(ModelCareStatus.Proposed, await StatusAsync(candidate));
        await using var db = await DbAsync();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.EntityId == candidate && e.Action == AuditActions.ModelPromoted && e.Outcome == AuditOutcome.Refused));
    }

    [Fact]
    public async Task A_wrong_password_or_an_unconfirmed_meaning_signs_nothing()
    {
        var candidate = await BundleCopies.RegisterCandidateAsync(clinic.Services, clinic.ModelStoreRoot);
        await AsAsync(Admin, r => r.ProposeAsync(candidate, "try it"));

        var wrong = await AsAsync(Clinician, r => r.SignAsync(candidate, "not-my-password", meaningConfirmed: true));
        var unconfirmed = await AsAsync(Clinician, r => r.SignAsync(candidate, Password, meaningConfirmed: false));

        Assert.Equal("The password is not correct; nothing was signed.", wrong.Errors.Single());
        Assert.Contains("Confirm the meaning", unconfirmed.Errors.Single());
        Assert.Equal(ModelCareStatus.Proposed, await StatusAsync(candidate));
    }

    [Fact]
    public async Task Only_a_clinician_signs_and_only_an_admin_proposes()
    {
        var candidate = await BundleCopies.RegisterCandidateAsync(clinic.Services, clinic.ModelStoreRoot);
        await Assert.ThrowsAsync<AccessDeniedException>(() => AsAsync(Clinician, r => r.ProposeAsync(candidate, "me")));
        await AsAsync(Admin, r => r.ProposeAsync(candidate, "try it"));
        var otherAdmin = await ClinicFactory.CreateAccountAsync(clinic.Services, Roles.Admin, "Other-Admin-2026x");

        await Assert.ThrowsAsync<AccessDeniedException>(() => AsAsync(otherAdmin, r => r.SignAsync(candidate, "Other-Admin-2026x", true)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => AsAsync(DemoAccounts.For(Roles.Auditor).UserName, r => r.SignAsync(candidate, Password, true)));
        Assert.Equal(ModelCareStatus.Proposed, await StatusAsync(candidate));
    }

    [Fact]
    public async Task Rollback_to_an_earlier_promoted_bundle_takes_the_same_two_people_and_is_audited()
    {
        var first = await BundleCopies.RegisterCandidateAsync(clinic.Services, clinic.ModelStoreRoot);
        await PromoteAsync(first);
        var second = await BundleCopies.RegisterCandidateAsync(clinic.Services, clinic.ModelStoreRoot);
        await PromoteAsync(second);
        Assert.Equal(ModelCareStatus.Retired, await StatusAsync(first));

        Assert.True((await AsAsync(Admin, r => r.ProposeAsync(first, "the newer bundle proposes too few calm tracks"))).Succeeded);
        var rollback = (await AsAsync(Clinician, r => r.ListAsync())).Single(b => b.BundleId == first);
        Assert.True(rollback.IsRollbackProposal);
        var signed = await AsAsync(Clinician, r => r.SignAsync(first, Password, meaningConfirmed: true));

        Assert.True(signed.Succeeded, string.Join(" ", signed.Errors));
        Assert.Equal(first, await CareBundleIdAsync());
        Assert.Equal(ModelCareStatus.RolledBack, await StatusAsync(second));
        await using var db = await DbAsync();
        var entry = await db.AuditEntries.Where(e => e.EntityId == first).OrderBy(e => e.Sequence).LastAsync();
        Assert.Equal(AuditActions.ModelRolledBack, entry.Action);
        Assert.Contains(second, entry.Details);

        // Proposing the rolled-back bundle again and withdrawing that proposal leaves it rolled back, as it was.
        Assert.True((await AsAsync(Admin, r => r.ProposeAsync(second, "try it again"))).Succeeded);
        Assert.True((await AsAsync(Admin, r => r.WithdrawAsync(second))).Succeeded);
        Assert.Equal(ModelCareStatus.RolledBack, await StatusAsync(second));
    }

    [Fact]
    public async Task After_a_promotion_previews_and_session_starts_use_the_new_bundle_and_an_approval_from_the_old_one_no_longer_starts()
    {
        var clinicianId = await SignedInScope.UserIdAsync(clinic.Factory, Clinician);
        var patient = await ClinicalSeed.AddPatientAsync(clinic.Services, clinicianId);
        await AsClinicianAsync<UtilityProfiles, bool>(async p =>
            (await p.SaveAsync(patient, UtilityProfile.DefaultFor(SessionMode.Calm) with { PlaylistLength = 4 }, "evenings")).Succeeded);
        var old = await CareBundleIdAsync() ?? throw new InvalidOperationException("No bundle serves care.");
        var oldApproval = await PreviewAndApproveAsync(patient, old);

        var candidate = await BundleCopies.RegisterCandidateAsync(clinic.Services, clinic.ModelStoreRoot);
        await PromoteAsync(candidate);
        var newApproval = await PreviewAndApproveAsync(patient, candidate);

        var refused = await AsCarerAsync(d => d.StartAsync(oldApproval, new AffectPoint(0.4, 0.6)));
        Assert.False(refused.Started);
        Assert.Equal(GuardRules.ModelPromotedForCare, refused.Rule);
        var started = await AsCarerAsync(d => d.StartAsync(newApproval, new AffectPoint(0.4, 0.6)));
        Assert.True(started.Started, started.Refusal);
    }

    private async Task<Guid> PreviewAndApproveAsync(string patient, string expectedBundle)
    {
        var preview = await AsClinicianAsync<PlaylistPreviews, PreviewOutcome>(p => p.PreviewAsync(patient));
        Assert.True(preview.Succeeded, string.Join(" ", preview.Errors));
        Assert.Equal(expectedBundle, preview.Preview!.Bundle.BundleId);
        Assert.False(preview.Preview.SimulationOnly);
        var approval = await AsClinicianAsync<PlaylistApprovals, ApprovalOutcome>(a =>
            a.ApproveAsync(preview.Preview.PreviewId, Password, true, DateOnly.FromDateTime(DateTime.UtcNow), null));
        Assert.True(approval.Succeeded, string.Join(" ", approval.Errors));
        Assert.Equal(expectedBundle, approval.Approval!.ModelBundleId);
        return approval.Approval.Id;
    }

    private async Task PromoteAsync(string bundleId)
    {
        Assert.True((await AsAsync(Admin, r => r.ProposeAsync(bundleId, "compared"))).Succeeded);
        var signed = await AsAsync(Clinician, r => r.SignAsync(bundleId, Password, meaningConfirmed: true));
        Assert.True(signed.Succeeded, string.Join(" ", signed.Errors));
    }

    private async Task<string?> CareBundleIdAsync() => (await clinic.Services.GetRequiredService<ICareEngine>().CareBundleAsync())?.BundleId;

    private async Task<ModelCareStatus> StatusAsync(string bundleId)
    {
        await using var db = await DbAsync();
        return (await db.ModelBundles.SingleAsync(b => b.BundleId == bundleId)).Status;
    }

    private async Task<T> AsAsync<T>(string userName, Func<ModelRegistry, Task<T>> call)
    {
        await using var scope = await SignedInScope.ForAsync(clinic.Factory, userName);
        return await call(scope.ServiceProvider.GetRequiredService<ModelRegistry>());
    }

    private async Task<TResult> AsClinicianAsync<TService, TResult>(Func<TService, Task<TResult>> call) where TService : notnull
    {
        await using var scope = await SignedInScope.ForAsync(clinic.Factory, Clinician);
        return await call(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private async Task<StartResult> AsCarerAsync(Func<DeliveryService, Task<StartResult>> call)
    {
        await using var scope = await SignedInScope.ForAsync(clinic.Factory, DemoAccounts.For(Roles.CareStaff).UserName);
        return await call(scope.ServiceProvider.GetRequiredService<DeliveryService>());
    }

    private Task<ClinicDbContext> DbAsync() => clinic.Services.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync();
}
