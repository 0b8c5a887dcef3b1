using Amrs.Clinic.Security;
using Amrs.Clinic.Services;
using Amrs.Clinic.Services.Delivery;
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

namespace Amrs.Clinic.Tests.Services;

/// <summary>
/// What keeps a signed list from reaching a patient once it should not: a clinician's signed withdrawal, a change of
/// the patient's goals after signing, a stop for distress not yet reviewed, and two signatures racing on one preview. Through the real services and
/// database with the deterministic engine; each test uses its own patient.
/// </summary>
public sealed class StartRefusalTests(CareClinic clinic) : IClassFixture<CareClinic>
{
    private static readonly DemoAccounts.Account Clinician = DemoAccounts.For(Roles.Clinician);
    private static readonly AffectPoint Baseline = new(0.3, 0.7);
    private static DateOnly Today => ClinicDay.Today(DateTimeOffset.UtcNow, TimeZoneInfo.Local);

    [Fact]
    public async Task A_withdrawn_list_leaves_the_days_list_cannot_start_and_the_withdrawal_is_signed_and_audited()
    {
        var patient = await MyPatientAsync();
        var approval = await ApprovedListAsync(patient);
        Assert.Contains(await AsCarerAsync(d => d.TodayAsync()), i => i.ApprovalId == approval);

        var withdrawn = await AsClinicianAsync<PlaylistApprovals, RevocationOutcome>(a =>
            a.RevokeAsync(approval, ClinicFactory.DemoPassword, meaningConfirmed: true, "  Agitated after lunch; music paused for a week.  "));

        Assert.True(withdrawn.Succeeded, string.Join(" ", withdrawn.Errors));
        Assert.DoesNotContain(await AsCarerAsync(d => d.TodayAsync()), i => i.ApprovalId == approval);
        var start = await AsCarerAsync(d => d.StartAsync(approval, Baseline));
        Assert.False(start.Started);
        Assert.Equal(GuardRules.PlaylistApproved, start.Rule);
        Assert.Contains("revoked", start.Refusal, StringComparison.Ordinal);

        var decision = (await AsClinicianAsync<PlaylistApprovals, IReadOnlyList<SignedDecision>>(a => a.ForPatientAsync(patient))).Single();
        Assert.False(decision.Deliverable);
        Assert.Equal(ApprovalStatus.Approved, decision.Decision.Status); // the signed approval itself is never changed
        Assert.Equal("Agitated after lunch; music paused for a week.", decision.Revocation!.Reason);
        Assert.Equal(SignatureMeanings.Revocation, decision.Revocation.Meaning);
        Assert.Equal(Clinician.FullName, decision.Revocation.RevokedByPrintedName);
        Assert.Equal(Roles.Clinician, decision.Revocation.RevokedByRole);
        await using var db = await DbAsync();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.ApprovalRevoked && e.PatientId == patient
            && e.EntityId == approval.ToString() && e.Outcome == AuditOutcome.Success));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.GuardRefused && e.PatientId == patient));
    }

    [Fact]
    public async Task A_withdrawal_needs_the_meaning_the_password_and_a_reason_and_is_signed_once()
    {
        var patient = await MyPatientAsync();
        var approval = await ApprovedListAsync(patient);

        var incomplete = await AsClinicianAsync<PlaylistApprovals, RevocationOutcome>(a =>
            a.RevokeAsync(approval, "", meaningConfirmed: false, "   "));
        var wrongPassword = await AsClinicianAsync<PlaylistApprovals, RevocationOutcome>(a =>
            a.RevokeAsync(approval, "Not-The-Password-1", meaningConfirmed: true, "Family asked to pause"));

        Assert.Equal(3, incomplete.Errors.Count);
        Assert.Contains(incomplete.Errors, e => e.Contains(SignatureMeanings.Revocation, StringComparison.Ordinal));
        Assert.Contains(incomplete.Errors, e => e.Contains("password", StringComparison.Ordinal));
        Assert.Contains(incomplete.Errors, e => e.Contains("reason", StringComparison.Ordinal));
        Assert.Equal("The password is not correct; nothing was signed.", wrongPassword.Errors.Single());
        Assert.Equal(0, await RevocationCountAsync(approval));
        Assert.Contains(await AsCarerAsync(d => d.TodayAsync()), i => i.ApprovalId == approval);

        // The right password also resets the failed-attempt count, so the demo account is not locked for later tests.
        var first = await AsClinicianAsync<PlaylistApprovals, RevocationOutcome>(a =>
            a.RevokeAsync(approval, ClinicFactory.DemoPassword, meaningConfirmed: true, "Family asked to pause"));
        var second = await AsClinicianAsync<PlaylistApprovals, RevocationOutcome>(a =>
            a.RevokeAsync(approval, ClinicFactory.DemoPassword, meaningConfirmed: true, "again"));

        Assert.True(first.Succeeded, string.Join(" ", first.Errors));
        Assert.Contains("already withdrawn", second.Errors.Single(), StringComparison.Ordinal);
        Assert.Equal(1, await RevocationCountAsync(approval));
    }

    [Fact]
    public async Task Care_staff_cannot_withdraw_a_list()
    {
        var patient = await MyPatientAsync();
        var approval = await ApprovedListAsync(patient);
        await using var scope = await SignedInScope.ForAsync(clinic.Factory, DemoAccounts.For(Roles.CareStaff).UserName);

        await Assert.ThrowsAsync<AccessDeniedException>(() => scope.ServiceProvider.GetRequiredService<PlaylistApprovals>()
            .RevokeAsync(approval, ClinicFactory.DemoPassword, meaningConfirmed: true, "not mine to withdraw"));
        Assert.Equal(0, await RevocationCountAsync(approval));
    }

    [Fact]
    public async Task A_list_approved_under_earlier_goals_does_not_start_once_the_goals_change()
    {
        var patient = await MyPatientAsync();
        var approval = await ApprovedListAsync(patient);

        await SaveGoalsAsync(patient, UtilityProfile.DefaultFor(SessionMode.Clinical) with { Target = new AffectPoint(0.7, 0.3) });
        var start = await AsCarerAsync(d => d.StartAsync(approval, Baseline));

        Assert.False(start.Started);
        Assert.Equal(GuardRules.GoalsUnchanged, start.Rule);
        Assert.Contains("goals changed after this list was approved", start.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_stop_for_distress_no_list_starts_until_the_clinician_has_reviewed_the_alert()
    {
        var patient = await MyPatientAsync();
        var approval = await ApprovedListAsync(patient);
        var first = (await AsCarerAsync(d => d.StartAsync(approval, Baseline))).DeliveryId!.Value;
        Assert.True((await AsCarerAsync(d => d.StopNowAsync(first, "Distress: crying"))).Ended);

        var tooSoon = await AsCarerAsync(d => d.StartAsync(approval, Baseline));
        // Today says so before anyone enters a baseline.
        Assert.True((await AsCarerAsync(d => d.TodayAsync())).Single(i => i.ApprovalId == approval).AwaitsClinicianAfterDistress);
        Assert.Null(await AsClinicianAsync<DeliveryAlerts, string?>(a => a.AcknowledgeAsync(first)));
        Assert.False((await AsCarerAsync(d => d.TodayAsync())).Single(i => i.ApprovalId == approval).AwaitsClinicianAfterDistress);
        var afterReview = await AsCarerAsync(d => d.StartAsync(approval, Baseline));

        Assert.False(tooSoon.Started);
        Assert.Equal(GuardRules.NoOpenDistressAlert, tooSoon.Rule);
        Assert.Contains("Distress: crying", tooSoon.Refusal, StringComparison.Ordinal);
        Assert.True(afterReview.Started, afterReview.Refusal);
    }

    [Fact]
    public async Task Whoever_started_a_session_can_stop_it_after_the_patient_moved_to_another_unit()
    {
        var patient = await MyPatientAsync();
        var approval = await ApprovedListAsync(patient);
        var session = (await AsCarerAsync(d => d.StartAsync(approval, Baseline))).DeliveryId!.Value;
        await using (var db = await DbAsync())
            await db.Patients.Where(p => p.PatientId == patient).ExecuteUpdateAsync(p => p.SetProperty(x => x.CareUnit, "Unit B"));

        var stopped = await AsCarerAsync(d => d.StopNowAsync(session, "Distress: shouting"));
        var otherUnitStaff = await TestAccounts.CreateAsync(clinic.Services, Roles.CareStaff, ClinicFactory.DemoPassword, careUnit: "Unit C");

        Assert.True(stopped.Ended, stopped.Error);
        await Assert.ThrowsAsync<AccessDeniedException>(() => As<DeliveryService, EndResult>(otherUnitStaff, d => d.StopNowAsync(session, "not my patient")));
    }

    [Fact]
    public async Task Two_signatures_racing_on_one_preview_leave_exactly_one_decision()
    {
        var patient = await MyPatientAsync();
        await SaveGoalsAsync(patient, UtilityProfile.DefaultFor(SessionMode.Clinical));
        var preview = (await AsClinicianAsync<PlaylistPreviews, PreviewOutcome>(p => p.PreviewAsync(patient))).Preview!;

        var outcomes = await Task.WhenAll(
            AsClinicianAsync<PlaylistApprovals, ApprovalOutcome>(a => a.ApproveAsync(preview.PreviewId, ClinicFactory.DemoPassword, true, Today, null)),
            AsClinicianAsync<PlaylistApprovals, ApprovalOutcome>(a => a.RejectAsync(preview.PreviewId, "Too lively")));

        Assert.Single(outcomes, o => o.Succeeded);
        Assert.Contains("already", outcomes.Single(o => !o.Succeeded).Errors.Single(), StringComparison.Ordinal);
        await using var db = await DbAsync();
        Assert.Equal(1, await db.PlaylistApprovals.CountAsync(a => a.PreviewId == preview.PreviewId));
    }

    [Fact]
    public async Task A_clinician_who_also_holds_another_role_signs_as_a_clinician_and_the_list_can_start()
    {
        var userName = await TestAccounts.CreateAsync(clinic.Services, Roles.Clinician, ClinicFactory.DemoPassword);
        await using (var scope = clinic.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
            Assert.True((await users.AddToRoleAsync((await users.FindByNameAsync(userName))!, Roles.CareStaff)).Succeeded);
        }
        var patient = await ClinicalSeed.AddPatientAsync(clinic.Services, await SignedInScope.UserIdAsync(clinic.Factory, userName));

        var approval = await ApprovedListAsync(patient, userName);
        var start = await AsCarerAsync(d => d.StartAsync(approval, Baseline));

        var decision = (await As<PlaylistApprovals, IReadOnlyList<SignedDecision>>(userName, a => a.ForPatientAsync(patient))).Single();
        Assert.Equal(Roles.Clinician, decision.Decision.SignerRole);
        Assert.True(start.Started, start.Refusal);
    }

    private async Task<Guid> ApprovedListAsync(string patient, string? clinicianUserName = null)
    {
        var user = clinicianUserName ?? Clinician.UserName;
        await As<UtilityProfiles, ProfileSaveResult>(user, p => p.SaveAsync(patient,
            UtilityProfile.DefaultFor(SessionMode.Clinical) with { PlaylistLength = 5 }, "goals for the test"));
        var preview = (await As<PlaylistPreviews, PreviewOutcome>(user, p => p.PreviewAsync(patient))).Preview!;
        var signed = await As<PlaylistApprovals, ApprovalOutcome>(user, a =>
            a.ApproveAsync(preview.PreviewId, ClinicFactory.DemoPassword, meaningConfirmed: true, Today, null));
        Assert.True(signed.Succeeded, string.Join(" ", signed.Errors));
        return signed.Approval!.Id;
    }

    private async Task<string> MyPatientAsync() =>
        await ClinicalSeed.AddPatientAsync(clinic.Services, await SignedInScope.UserIdAsync(clinic.Factory, Clinician.UserName));

    private Task SaveGoalsAsync(string patient, UtilityProfile profile) =>
        AsClinicianAsync<UtilityProfiles, ProfileSaveResult>(p => p.SaveAsync(patient, profile with { PlaylistLength = 5 }, "goals for the test"));

    private Task<TResult> AsClinicianAsync<TService, TResult>(Func<TService, Task<TResult>> call) where TService : notnull =>
        As(Clinician.UserName, call);

    private Task<T> AsCarerAsync<T>(Func<DeliveryService, Task<T>> call) => As(DemoAccounts.For(Roles.CareStaff).UserName, call);

    private async Task<TResult> As<TService, TResult>(string userName, Func<TService, Task<TResult>> call) where TService : notnull
    {
        await using var scope = await SignedInScope.ForAsync(clinic.Factory, userName);
        return await call(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private async Task<ClinicDbContext> DbAsync() =>
        await clinic.Services.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync();

    private async Task<int> RevocationCountAsync(Guid approval)
    {
        await using var db = await DbAsync();
        return await db.ApprovalRevocations.CountAsync(r => r.ApprovalId == approval);
    }
}
