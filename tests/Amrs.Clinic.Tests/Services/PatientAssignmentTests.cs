using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Patients;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Audit;
using Amrs.Core.Security;
using Amrs.Data;
using Amrs.Data.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Services;

/// <summary>An Admin assigns patients to a clinician and a care unit: all or nothing, audited, and it decides whose patients they are.</summary>
public sealed class PatientAssignmentTests(ClinicFactory factory) : IClassFixture<ClinicFactory>
{
    private const string Password = "Assign-Tests-2026";
    private static string Admin => DemoAccounts.For(Roles.Admin).UserName;

    [Fact]
    public async Task Assigned_patients_become_the_clinicians_patients_and_the_change_is_audited()
    {
        var clinicianName = await factory.CreateAccountAsync(Roles.Clinician, Password, careUnit: "Unit B");
        var clinicianId = await SignedInScope.UserIdAsync(factory, clinicianName);
        var first = await ClinicalSeed.AddPatientAsync(factory.Services, clinicianUserId: null, careUnit: "Unit A");
        var second = await ClinicalSeed.AddPatientAsync(factory.Services, clinicianUserId: null, careUnit: "Unit A");

        var result = await AsAdminAsync(a => a.AssignAsync([first, second], clinicianId, " Unit B "));

        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        Assert.Equal(2, result.Changed);
        await using (var scope = await SignedInScope.ForAsync(factory, clinicianName))
        {
            var mine = await scope.ServiceProvider.GetRequiredService<PatientDirectory>().ListAsync(new PatientQuery());
            Assert.Equal(new[] { first, second }.Order(), mine.Rows.Select(r => r.PatientId).Order());
            Assert.All(mine.Rows, r => Assert.Equal("Unit B", r.CareUnit));
        }
        var listed = await AsAdminAsync(a => a.ListAsync(new AssignmentQuery(Search: first)));
        Assert.Equal("Test Clinician", Assert.Single(listed.Rows).ClinicianName);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync();
        var entry = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.PatientUpdated && e.Details.Contains(first) && e.Details.Contains("assignment"));
        Assert.Contains(second, entry.Details, StringComparison.Ordinal);
        Assert.Contains("Unit A", entry.Details, StringComparison.Ordinal); // the assignment before the change
    }

    [Fact]
    public async Task Nothing_is_saved_when_the_clinician_is_not_a_clinician_or_a_patient_does_not_exist()
    {
        var carerId = await SignedInScope.UserIdAsync(factory, DemoAccounts.For(Roles.CareStaff).UserName);
        var clinicianId = await SignedInScope.UserIdAsync(factory, DemoAccounts.For(Roles.Clinician).UserName);
        var patient = await ClinicalSeed.AddPatientAsync(factory.Services, clinicianUserId: null, careUnit: "Unit C");

        var notClinician = await AsAdminAsync(a => a.AssignAsync([patient], carerId, "Unit A"));
        var unknown = await AsAdminAsync(a => a.AssignAsync([patient, "P-nobody"], clinicianId, "Unit A"));
        var longUnit = await AsAdminAsync(a => a.AssignAsync([patient], clinicianId, new string('u', 101)));
        var none = await AsAdminAsync(a => a.AssignAsync([], clinicianId, "Unit A"));

        Assert.Equal("Clinician: that account does not exist or is not a clinician.", notClinician.Errors.Single());
        Assert.Equal("No patient with the code P-nobody.", unknown.Errors.Single());
        Assert.Equal("Care unit: at most 100 characters.", longUnit.Errors.Single());
        Assert.Equal("Choose at least one patient.", none.Errors.Single());
        var row = Assert.Single((await AsAdminAsync(a => a.ListAsync(new AssignmentQuery(Search: patient)))).Rows);
        Assert.Null(row.ClinicianUserId);
        Assert.Equal("Unit C", row.CareUnit);
    }

    [Fact]
    public async Task Only_an_admin_may_assign_or_list()
    {
        var patient = await ClinicalSeed.AddPatientAsync(factory.Services, clinicianUserId: null);
        await using var scope = await SignedInScope.ForAsync(factory, DemoAccounts.For(Roles.Clinician).UserName);
        var service = scope.ServiceProvider.GetRequiredService<PatientAssignments>();
        var me = await SignedInScope.UserIdAsync(factory, DemoAccounts.For(Roles.Clinician).UserName);

        await Assert.ThrowsAsync<AccessDeniedException>(() => service.AssignAsync([patient], me, "Unit A"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.ListAsync(new AssignmentQuery()));
    }

    [Fact]
    public async Task The_clinician_list_holds_only_clinicians()
    {
        var clinicians = await AsAdminAsync(a => a.CliniciansAsync());

        Assert.Contains(clinicians, c => c.FullName == DemoAccounts.For(Roles.Clinician).FullName && c.CareUnit == "Unit A");
        Assert.DoesNotContain(clinicians, c => c.FullName == DemoAccounts.For(Roles.CareStaff).FullName);
    }

    private async Task<T> AsAdminAsync<T>(Func<PatientAssignments, Task<T>> call)
    {
        await using var scope = await SignedInScope.ForAsync(factory, Admin);
        return await call(scope.ServiceProvider.GetRequiredService<PatientAssignments>());
    }
}
