using Amrs.Clinic.Security;
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
using Amrs.Data.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Services;

/// <summary>
/// The approval rules through the real services and database, with the deterministic engine: only a list
/// previewed exactly under the current goals and models is signed, the password is checked, a wrong input saves
/// nothing, and a signed decision is never changed.
/// </summary>
/// <remarks>Tests of a class run one after another; each uses its own patient, so the shared clinic is safe.</remarks>
public sealed class PlaylistApprovalTests(CareClinic clinic) : IClassFixture<CareClinic>
{
    private readonly CareClinic _clinic = clinic;
    private static readonly DemoAccounts.Account Clinician = DemoAccounts.For(Roles.Clinician);
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task The_saved_goals_reach_the_engine_and_the_proposal_is_recorded_as_the_models_own()
    {
        var patient = await MyPatientAsync();
        var weights = new UtilityWeights(0.9, 0.1, 0.4, 0, 0.2, 0.3);
        await SaveGoalsAsync(patient, UtilityProfile.DefaultFor(SessionMode.Clinical) with { Target = new AffectPoint(0.8, 0.2), Weights = weights });

        var preview = await AsClinicianAsync<PlaylistPreviews, PreviewOutcome>(p => p.PreviewAsync(patient));

        Assert.True(preview.Succeeded, string.Join(" ", preview.Errors));
        var decoded = _clinic.Engine.Contexts.Last(c => c.Patient.PatientId == patient);
        Assert.Equal(weights, decoded.Profile.Weights);
        Assert.Equal(new AffectPoint(0.8, 0.2), decoded.Profile.Target);
        var simulated = _clinic.Engine.Simulations.First(s => s.Context.Patient.PatientId == patient);
        Assert.Equal(PlaylistPreviews.DefaultTrajectories, simulated.Trajectories);
        Assert.Equal(FakeCareEngine.DefaultProposal, simulated.TrackIds);
        Assert.Equal(FakeCareEngine.DefaultProposal.Reverse(), preview.Preview!.ComparisonTracks.Select(t => t.TrackId));
        var row = await PreviewRowAsync(preview.Preview.PreviewId);
        Assert.Equal(PreviewKind.ModelProposal, row.Kind);
        Assert.Equal(row.ProposedTrackIds, row.TrackIds);
    }

    [Fact]
    public async Task An_edited_list_is_recorded_as_the_clinicians_edit_and_the_signature_binds_exactly_that_list()
    {
        var patient = await MyPatientAsync();
        await SaveGoalsAsync(patient, UtilityProfile.DefaultFor(SessionMode.Clinical));
        var proposal = (await AsClinicianAsync<PlaylistPreviews, PreviewOutcome>(p => p.PreviewAsync(patient))).Preview!;
        string[] edited = ["T-12", "T-1", "T-4", "T-5"];

        var edit = await AsClinicianAsync<PlaylistPreviews, PreviewOutcome>(p => p.PreviewAsync(patient, edited, proposal.PreviewId));
        var signed = await AsClinicianAsync<PlaylistApprovals, ApprovalOutcome>(a =>
            a.ApproveAsync(edit.Preview!.PreviewId, ClinicFactory.DemoPassword, meaningConfirmed: true, Today, "quiet room"));

        Assert.True(signed.Succeeded, string.Join(" ", signed.Errors));
        var row = await PreviewRowAsync(edit.Preview!.PreviewId);
        Assert.Equal(PreviewKind.ClinicianEdit, row.Kind);
        Assert.Equal(proposal.PreviewId, row.ProposalPreviewId);
        Assert.Equal(FakeCareEngine.DefaultProposal, row.ProposedTrackIds);
        var approval = signed.Approval!;
        Assert.Equal(edited, approval.TrackIds);
        Assert.Equal(PlaylistApprovals.ApprovalMeaning, approval.Meaning);
        Assert.Equal(Clinician.FullName, approval.SignerPrintedName);
        Assert.Equal(approval.ScheduledFor.AddDays(7), approval.ValidUntil);
        Assert.Equal(ApprovalBinding.Compute(approval.ToBoundPlaylist()), approval.BindingHash);
    }

    [Fact]
    public async Task There_is_no_approval_without_a_matching_preview()
    {
        var patient = await MyPatientAsync();
        await SaveGoalsAsync(patient, UtilityProfile.DefaultFor(SessionMode.Clinical));

        var signed = await AsClinicianAsync<PlaylistApprovals, ApprovalOutcome>(a =>
            a.ApproveAsync(Guid.NewGuid(), ClinicFactory.DemoPassword, meaningConfirmed: true, Today, null));

        Assert.False(signed.Succeeded);
        Assert.Contains("preview the list again", signed.Errors.Single(), StringComparison.Ordinal);
        Assert.Equal(0, await ApprovalCountAsync(patient));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_nothing_is_signed_but_the_attempt_is_audited()
    {
        var patient = await MyPatientAsync();
        await SaveGoalsAsync(patient, UtilityProfile.DefaultFor(SessionMode.Clinical));
        var preview = (await AsClinicianAsync<PlaylistPreviews, PreviewOutcome>(p => p.PreviewAsync(patient))).Preview!;

        var wrong = await AsClinicianAsync<PlaylistApprovals, ApprovalOutcome>(a =>
            a.ApproveAsync(preview.PreviewId, "Not-The-Password-1", meaningConfirmed: true, Today, null));
        var unconfirmed = await AsClinicianAsync<PlaylistApprovals, ApprovalOutcome>(a =>
            a.ApproveAsync(preview.PreviewId, ClinicFactory.DemoPassword, meaningConfirmed: false, Today, null));

        Assert.Equal("The password is not correct; nothing was signed.", wrong.Errors.Single());
        Assert.Contains(unconfirmed.Errors, e => e.Contains(PlaylistApprovals.ApprovalMeaning, StringComparison.Ordinal));
        Assert.Equal(0, await ApprovalCountAsync(patient));
        await using var db = await DbAsync();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.PlaylistApproved && e.PatientId == patient && e.Outcome == AuditOutcome.Refused));
        // The failed signature counted as a failed sign-in; reset it so the demo account is not locked by later tests.
        Assert.True((await AsClinicianAsync<PlaylistApprovals, ApprovalOutcome>(a =>
            a.ApproveAsync(preview.PreviewId, ClinicFactory.DemoPassword, meaningConfirmed: true, Today, null))).Succeeded);
    }

    [Fact]
    public async Task Bad_lists_are_refused_with_the_place_of_the_problem_and_nothing_is_recorded()
    {
        var patient = await MyPatientAsync();
        await SaveGoalsAsync(patient, UtilityProfile.DefaultFor(SessionMode.Clinical));
        var proposal = (await AsClinicianAsync<PlaylistPreviews, PreviewOutcome>(p => p.PreviewAsync(patient))).Preview!;

        var empty = await AsClinicianAsync<PlaylistPreviews, PreviewOutcome>(p => p.PreviewAsync(patient, [], proposal.PreviewId));
        var unknown = await AsClinicianAsync<PlaylistPreviews, PreviewOutcome>(p => p.PreviewAsync(patient, ["T-1", "T-999"], proposal.PreviewId));
        var excluded = await AsClinicianAsync<PlaylistPreviews, PreviewOutcome>(p => p.PreviewAsync(patient, ["T-1", "T-3"], proposal.PreviewId));
        var unrelated = await AsClinicianAsync<PlaylistPreviews, PreviewOutcome>(p => p.PreviewAsync(patient, ["T-1", "T-2"], Guid.NewGuid()));

        Assert.Contains("The playlist is empty", empty.Errors.Single(), StringComparison.Ordinal);
        Assert.Equal("Track 2 ('T-999') is not in the catalog.", unknown.Errors.Single());
        Assert.Equal("Track 2 ('Song 3') breaks a limit: genre 'metal' is excluded.", excluded.Errors.Single());
        Assert.StartsWith("The list was edited from something that is not a model proposal for this patient", unrelated.Errors.Single(), StringComparison.Ordinal);
        await using var db = await DbAsync();
        Assert.Equal(1, await db.Previews.CountAsync(p => p.PatientId == patient));
    }

    [Fact]
    public async Task A_bundle_that_cannot_be_loaded_refuses_the_preview_with_the_reason_and_records_nothing()
    {
        var patient = await MyPatientAsync();
        await SaveGoalsAsync(patient, UtilityProfile.DefaultFor(SessionMode.Clinical));
        _clinic.Engine.AddUnloadableBundle("bundle-old-format", "trained without the patient's record of each candidate track");

        var outcome = await AsClinicianAsync<PlaylistPreviews, PreviewOutcome>(p => p.PreviewAsync(patient, bundleId: "bundle-old-format"));

        Assert.False(outcome.Succeeded);
        var error = outcome.Errors.Single();
        Assert.StartsWith("The model bundle bundle-old-format cannot be loaded", error, StringComparison.Ordinal);
        Assert.Contains("trained without the patient's record of each candidate track", error, StringComparison.Ordinal);
        await using var db = await DbAsync();
        Assert.Equal(0, await db.Previews.CountAsync(p => p.PatientId == patient));
    }

    [Fact]
    public async Task A_preview_made_before_the_models_changed_cannot_be_signed()
    {
        var patient = await MyPatientAsync();
        await SaveGoalsAsync(patient, UtilityProfile.DefaultFor(SessionMode.Clinical));
        var preview = (await AsClinicianAsync<PlaylistPreviews, PreviewOutcome>(p => p.PreviewAsync(patient))).Preview!;
        _clinic.Engine.AddBundle("bundle-a-newer", ModelCareStatus.PromotedForCare); // sorts first: now the care bundle

        var signed = await AsClinicianAsync<PlaylistApprovals, ApprovalOutcome>(a =>
            a.ApproveAsync(preview.PreviewId, ClinicFactory.DemoPassword, meaningConfirmed: true, Today, null));

        Assert.False(signed.Succeeded);
        Assert.Contains(signed.Errors, e => e.StartsWith("The models changed since this preview", StringComparison.Ordinal));
        Assert.Equal(0, await ApprovalCountAsync(patient));
    }

    [Fact]
    public async Task A_signed_decision_is_never_changed_neither_signed_over_nor_edited_in_the_database()
    {
        var patient = await MyPatientAsync();
        await SaveGoalsAsync(patient, UtilityProfile.DefaultFor(SessionMode.Clinical));
        var preview = (await AsClinicianAsync<PlaylistPreviews, PreviewOutcome>(p => p.PreviewAsync(patient))).Preview!;
        var approval = (await AsClinicianAsync<PlaylistApprovals, ApprovalOutcome>(a =>
            a.ApproveAsync(preview.PreviewId, ClinicFactory.DemoPassword, meaningConfirmed: true, Today, null))).Approval!;

        var again = await AsClinicianAsync<PlaylistApprovals, ApprovalOutcome>(a =>
            a.ApproveAsync(preview.PreviewId, ClinicFactory.DemoPassword, meaningConfirmed: true, Today.AddDays(3), null));
        var rejected = await AsClinicianAsync<PlaylistApprovals, ApprovalOutcome>(a => a.RejectAsync(preview.PreviewId, "changed my mind"));
        await using (var db = await DbAsync())
        {
            var row = await db.PlaylistApprovals.SingleAsync(a => a.Id == approval.Id);
            row.TrackIds = ["T-12"];
            var edit = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
            Assert.Contains("cannot be changed", edit.Message, StringComparison.Ordinal);
        }
        await using (var db = await DbAsync())
        {
            db.PlaylistApprovals.Remove(await db.PlaylistApprovals.SingleAsync(a => a.Id == approval.Id));
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        }

        Assert.Contains("already approved", again.Errors.Single(), StringComparison.Ordinal);
        Assert.Contains("already approved", rejected.Errors.Single(), StringComparison.Ordinal);
        await using var check = await DbAsync();
        var stored = await check.PlaylistApprovals.SingleAsync(a => a.PatientId == patient);
        Assert.Equal(FakeCareEngine.DefaultProposal, stored.TrackIds);
        Assert.Equal(ApprovalBinding.Compute(stored.ToBoundPlaylist()), stored.BindingHash);
    }

    [Fact]
    public async Task A_rejection_needs_a_reason_and_records_it()
    {
        var patient = await MyPatientAsync();
        await SaveGoalsAsync(patient, UtilityProfile.DefaultFor(SessionMode.Clinical));
        var preview = (await AsClinicianAsync<PlaylistPreviews, PreviewOutcome>(p => p.PreviewAsync(patient))).Preview!;

        var blank = await AsClinicianAsync<PlaylistApprovals, ApprovalOutcome>(a => a.RejectAsync(preview.PreviewId, "  "));
        var rejected = await AsClinicianAsync<PlaylistApprovals, ApprovalOutcome>(a => a.RejectAsync(preview.PreviewId, "Too lively for the evening"));

        Assert.Equal("Give the reason for rejecting the list.", blank.Errors.Single());
        Assert.Equal(ApprovalStatus.Rejected, rejected.Approval!.Status);
        Assert.Equal("Too lively for the evening", rejected.Approval.RejectionReason);
        Assert.Equal(1, await ApprovalCountAsync(patient));
    }

    [Fact]
    public async Task An_admin_may_preview_but_never_sign()
    {
        var patient = await MyPatientAsync();
        await SaveGoalsAsync(patient, UtilityProfile.DefaultFor(SessionMode.Clinical));
        await using var scope = await SignedInScope.ForAsync(_clinic.Factory, DemoAccounts.For(Roles.Admin).UserName);
        var preview = await scope.ServiceProvider.GetRequiredService<PlaylistPreviews>().PreviewAsync(patient);

        Assert.True(preview.Succeeded);
        await Assert.ThrowsAsync<AccessDeniedException>(() => scope.ServiceProvider.GetRequiredService<PlaylistApprovals>()
            .ApproveAsync(preview.Preview!.PreviewId, ClinicFactory.DemoPassword, meaningConfirmed: true, Today, null));
        Assert.Equal(0, await ApprovalCountAsync(patient));
    }

    [Fact]
    public async Task Only_the_author_of_an_edit_signs_it()
    {
        var patient = await MyPatientAsync();
        await SaveGoalsAsync(patient, UtilityProfile.DefaultFor(SessionMode.Clinical));
        await using var admin = await SignedInScope.ForAsync(_clinic.Factory, DemoAccounts.For(Roles.Admin).UserName);
        var previews = admin.ServiceProvider.GetRequiredService<PlaylistPreviews>();
        var proposal = (await previews.PreviewAsync(patient)).Preview!;
        var adminsEdit = (await previews.PreviewAsync(patient, ["T-12", "T-1", "T-4", "T-5"], proposal.PreviewId)).Preview!;

        var signed = await AsClinicianAsync<PlaylistApprovals, ApprovalOutcome>(a =>
            a.ApproveAsync(adminsEdit.PreviewId, ClinicFactory.DemoPassword, meaningConfirmed: true, Today, null));

        Assert.False(signed.Succeeded);
        Assert.Contains("only its author can sign it", signed.Errors.Single(), StringComparison.Ordinal);
        Assert.Equal(0, await ApprovalCountAsync(patient));
    }

    [Fact]
    public async Task Out_of_distribution_forecasts_come_with_plain_warnings()
    {
        var patient = await MyPatientAsync();
        await SaveGoalsAsync(patient, UtilityProfile.DefaultFor(SessionMode.Clinical));
        _clinic.Engine.MarkOutOfDistribution(patient, "this patient's history is shorter than any in training.");

        var preview = (await AsClinicianAsync<PlaylistPreviews, PreviewOutcome>(p => p.PreviewAsync(patient))).Preview!;

        Assert.Contains(preview.Warnings, w => w.StartsWith("Outside what the model has seen: this patient's history is shorter", StringComparison.Ordinal));
        Assert.Contains(preview.Warnings, w => w.StartsWith("Uncertain valence", StringComparison.Ordinal));
        Assert.True((await PreviewRowAsync(preview.PreviewId)).OutOfDistribution);
    }

    private async Task<string> MyPatientAsync()
    {
        var me = await SignedInScope.UserIdAsync(_clinic.Factory, Clinician.UserName);
        return await ClinicalSeed.AddPatientAsync(_clinic.Services, me);
    }

    private Task SaveGoalsAsync(string patient, UtilityProfile profile) =>
        AsClinicianAsync<UtilityProfiles, ProfileSaveResult>(p => p.SaveAsync(patient, profile with { PlaylistLength = 5 }, "goals for the test"));

    private async Task<TResult> AsClinicianAsync<TService, TResult>(Func<TService, Task<TResult>> call) where TService : notnull
    {
        await using var scope = await SignedInScope.ForAsync(_clinic.Factory, Clinician.UserName);
        return await call(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private async Task<ClinicDbContext> DbAsync() =>
        await _clinic.Services.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync();

    private async Task<PreviewEntity> PreviewRowAsync(Guid id)
    {
        await using var db = await DbAsync();
        return await db.Previews.AsNoTracking().SingleAsync(p => p.Id == id);
    }

    private async Task<int> ApprovalCountAsync(string patient)
    {
        await using var db = await DbAsync();
        return await db.PlaylistApprovals.CountAsync(a => a.PatientId == patient);
    }
}
