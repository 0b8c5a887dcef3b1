using Amrs.Core.Audit;
using Amrs.Core.Patients;
using Amrs.Core.Security;
using Amrs.Data;
using Amrs.Data.Audit;
using Amrs.Data.Database;
using Amrs.Data.Identity;
using Amrs.Data.Seeding;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Amrs.Clinic.Services.Data;

/// <summary>
/// For the demo only: the demo clinician becomes the responsible clinician of the unassigned clinical patients
/// of their care unit, so "My patients" is not empty on first sign-in. In a real clinic an Admin assigns
/// patients. Runs only while demo accounts are on; idempotent; audited.
/// </summary>
public static class DemoAssignments
{
    public static async Task AssignDemoPatientsAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        if (!DatabaseInitializer.DemoAccountsEnabled(provider.GetRequiredService<IOptions<DemoOptions>>().Value, provider.GetRequiredService<IHostEnvironment>()))
            return;
        var account = DemoAccounts.For(Roles.Clinician);
        var clinician = await provider.GetRequiredService<UserManager<ClinicUser>>().FindByNameAsync(account.UserName);
        if (clinician is null) return;
        var clock = provider.GetRequiredService<TimeProvider>();
        var (_, assigned) = await provider.GetRequiredService<AuditLog>().RecordAsync(async db =>
        {
            var patients = await db.Patients
                .Where(p => p.ClinicianUserId == null && p.CareUnit == account.CareUnit && p.CareSetting == CareSetting.Clinical)
                .ToListAsync(cancellationToken);
            foreach (var patient in patients) patient.ClinicianUserId = clinician.Id;
            IReadOnlyList<AuditDraft> drafts = patients.Count == 0 ? [] :
            [
                new AuditDraft(clock.GetUtcNow(), AuditActors.SystemId, AuditActors.SystemName, AuditActors.SystemRole, AuditActions.PatientUpdated,
                    AuditEntityTypes.Patient, "demo-assignment", null, AuditOutcome.Success,
                    AuditDetails.Of(new { demo = true, clinician = clinician.FullName, careUnit = account.CareUnit, patients = patients.Select(p => p.PatientId) })),
            ];
            return (drafts, patients.Count);
        }, cancellationToken);
        if (assigned > 0)
            provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DemoAssignments))
                .LogWarning("Demo: assigned {Count} clinical patients of {Unit} to the demo clinician.", assigned, account.CareUnit);
    }
}
