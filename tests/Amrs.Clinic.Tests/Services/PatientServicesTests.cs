using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Patients;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Affect;
using Amrs.Core.Audit;
using Amrs.Core.Security;
using Amrs.Core.Utility;
using Amrs.Data;
using Amrs.Data.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Services;

public sealed class PatientServicesTests(ClinicFactory factory) : IClassFixture<ClinicFactory>
{
    private static string Clinician => DemoAccounts.For(Roles.Clinician).UserName;

    [Fact]
    public async Task A_clinician_lists_only_the_patients_assigned_to_them()
    {
        var me = await SignedInScope.UserIdAsync(factory, Clinician);
        var mine = await ClinicalSeed.AddPatientAsync(factory.Services, me);
        var someoneElses = await ClinicalSeed.AddPatientAsync(factory.Services, clinicianUserId: null);
        await using var scope = await SignedInScope.ForAsync(factory, Clinician);

        var page = await scope.ServiceProvider.GetRequiredService<PatientDirectory>().ListAsync(new PatientQuery(PageSize: 500));

        Assert.Contains(page.Rows, r => r.PatientId == mine);
        Assert.DoesNotContain(page.Rows, r => r.PatientId == someoneElses);
        var row = page.Rows.Single(r => r.PatientId == mine);
        Assert.Equal(2, row.AffectTrend.Count);
        Assert.Equal(0.4, row.AffectTrend[0].Valence, precision: 9); // session 0: both observed steps 0.4
        Assert.Equal(0.5, row.AffectTrend[1].Valence, precision: 9);
    }

    [Fact]
    public async Task A_clinician_cannot_open_a_patient_assigned_to_someone_else()
    {
        var other = await ClinicalSeed.AddPatientAsync(factory.Services, clinicianUserId: null);
        await using var scope = await SignedInScope.ForAsync(factory, Clinician);

        await Assert.ThrowsAsync<AccessDeniedException>(() => scope.ServiceProvider.GetRequiredService<PatientRecord>().GetAsync(other));
    }

    [Fact]
    public async Task Saving_a_profile_creates_a_new_audited_version_and_restoring_makes_another()
    {
        var me = await SignedInScope.UserIdAsync(factory, Clinician);
        var patient = await ClinicalSeed.AddPatientAsync(factory.Services, me);
        await using var scope = await SignedInScope.ForAsync(factory, Clinician);
        var profiles = scope.ServiceProvider.GetRequiredService<UtilityProfiles>();
        var calm = UtilityProfile.DefaultFor(SessionMode.Calm);

        var first = await profiles.SaveAsync(patient, calm, "Agitated in the evenings");
        var second = await profiles.SaveAsync(patient, calm with { Target = new AffectPoint(0.8, 0.2) }, "Lower arousal");
        var restored = await profiles.RestoreAsync(patient, 1, "Back to the first goals");

        Assert.Equal(1, first.Saved!.Version);
        Assert.Equal(2, second.Saved!.Version);
        Assert.Equal(3, restored.Saved!.Version);
        Assert.Equal(1, restored.Saved.RestoredFrom);
        Assert.Equal(calm.Target, (await profiles.CurrentAsync(patient)).Profile.Target);
        Assert.Equal([3, 2, 1], (await profiles.VersionsAsync(patient)).Select(v => v.Version));

        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync();
        var entries = await db.AuditEntries.Where(e => e.PatientId == patient && e.Action == AuditActions.ProfileSaved).ToListAsync();
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal("Dr. Dana Clinician", e.ActorName));
    }

    [Theory]
    [InlineData(1.5, 0.3, "'valence'")]
    [InlineData(0.5, -0.2, "'arousal'")]
    public async Task Out_of_range_weights_are_refused_and_nothing_is_saved(double valenceWeight, double arousalWeight, string named)
    {
        var me = await SignedInScope.UserIdAsync(factory, Clinician);
        var patient = await ClinicalSeed.AddPatientAsync(factory.Services, me);
        await using var scope = await SignedInScope.ForAsync(factory, Clinician);
        var profiles = scope.ServiceProvider.GetRequiredService<UtilityProfiles>();
        var profile = UtilityProfile.DefaultFor(SessionMode.Clinical) with
        {
            Weights = UtilityWeights.DefaultFor(SessionMode.Clinical) with { Valence = valenceWeight, Arousal = arousalWeight },
        };

        var result = await profiles.SaveAsync(patient, profile, "try");

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains(named, StringComparison.Ordinal));
        Assert.Empty(await profiles.VersionsAsync(patient));
    }

    [Fact]
    public async Task An_admin_may_look_but_not_change_a_profile()
    {
        var me = await SignedInScope.UserIdAsync(factory, Clinician);
        var patient = await ClinicalSeed.AddPatientAsync(factory.Services, me);
        await using var scope = await SignedInScope.ForAsync(factory, DemoAccounts.For(Roles.Admin).UserName);

        var details = await scope.ServiceProvider.GetRequiredService<PatientRecord>().GetAsync(patient);
        Assert.False(details.MayTreat);
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            scope.ServiceProvider.GetRequiredService<UtilityProfiles>().SaveAsync(patient, UtilityProfile.DefaultFor(SessionMode.Calm), "no"));
    }

    [Fact]
    public async Task Care_staff_are_refused_by_the_clinical_services()
    {
        await using var scope = await SignedInScope.ForAsync(factory, DemoAccounts.For(Roles.CareStaff).UserName);

        await Assert.ThrowsAsync<AccessDeniedException>(() => scope.ServiceProvider.GetRequiredService<PatientDirectory>().ListAsync(new PatientQuery()));
    }
}
