using Amrs.Clinic.Security;
using Amrs.Core.Audit;
using Amrs.Core.Patients;
using Amrs.Core.Security;
using Amrs.Data;
using Amrs.Data.Audit;
using Amrs.Data.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Clinic.Services.Patients;

/// <summary>One patient as the Admin's assignment list shows it.</summary>
public sealed record PatientAssignment(string PatientId, CareSetting CareSetting, CognitiveStage CognitiveStage, string? CareUnit,
    string? ClinicianUserId, string? ClinicianName);

/// <summary>A clinician who can be made responsible for patients.</summary>
public sealed record ClinicianChoice(string UserId, string FullName, string? CareUnit);

public sealed record AssignmentQuery(string? Search = null, bool OnlyUnassigned = false, int Page = 0, int PageSize = 25);

public sealed record AssignmentPage(IReadOnlyList<PatientAssignment> Rows, int Total);

/// <summary>The outcome of an assignment: how many patients changed, or why nothing was saved.</summary>
public sealed record AssignmentResult(int Changed, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    public static AssignmentResult Refused(params string[] errors) => new(0, errors);
}

/// <summary>
/// An Admin makes a clinician responsible for patients and places them in a care unit: that decides whose
/// "My patients" they appear in and which care staff deliver their sessions. All or nothing, and audited in the
/// same transaction with the patients' codes and the assignment before and after.
/// </summary>
public sealed class PatientAssignments(
    CurrentUser currentUser,
    IDbContextFactory<ClinicDbContext> contexts,
    UserManager<ClinicUser> users,
    AuditLog audit,
    TimeProvider clock)
{
    public const int MaxCareUnitLength = 100;
    public const int MaxPatientsAtOnce = 500;

    public async Task<AssignmentPage> ListAsync(AssignmentQuery query, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Policies.Administration);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var patients = db.Patients.AsNoTracking();
        if (query.OnlyUnassigned) patients = patients.Where(p => p.ClinicianUserId == null);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var search = query.Search.Trim();
            patients = patients.Where(p => p.PatientId.Contains(search) || (p.CareUnit != null && p.CareUnit.Contains(search)));
        }
        var total = await patients.CountAsync(cancellationToken);
        var rows = await patients
            .OrderBy(p => p.PatientId)
            .Skip(query.Page * query.PageSize).Take(query.PageSize)
            .GroupJoin(db.Users, p => p.ClinicianUserId, u => u.Id, (p, u) => new { p, u })
            .SelectMany(x => x.u.DefaultIfEmpty(), (x, u) => new PatientAssignment(x.p.PatientId, x.p.CareSetting, x.p.CognitiveStage,
                x.p.CareUnit, x.p.ClinicianUserId, u == null ? null : u.FullName))
            .ToListAsync(cancellationToken);
        return new AssignmentPage(rows, total);
    }

    /// <summary>Every account in the Clinician role, by name.</summary>
    public async Task<IReadOnlyList<ClinicianChoice>> CliniciansAsync()
    {
        await currentUser.RequireAsync(Policies.Administration);
        var clinicians = await users.GetUsersInRoleAsync(Roles.Clinician);
        return clinicians.OrderBy(c => c.FullName, StringComparer.CurrentCulture)
            .Select(c => new ClinicianChoice(c.Id, c.FullName, c.CareUnit)).ToList();
    }

    /// <summary>
    /// Makes <paramref name="clinicianUserId"/> responsible for <paramref name="patientIds"/> (null: no clinician) and
    /// places them in <paramref name="careUnit"/> (null or empty: no unit). Nothing is saved unless every part is valid.
    /// </summary>
    public async Task<AssignmentResult> AssignAsync(IReadOnlyList<string> patientIds, string? clinicianUserId, string? careUnit,
        CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.Administration);
        var ids = patientIds.Select(id => id.Trim()).Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var unit = string.IsNullOrWhiteSpace(careUnit) ? null : careUnit.Trim();
        var errors = new List<string>();
        if (ids.Count == 0) errors.Add("Choose at least one patient.");
        if (ids.Count > MaxPatientsAtOnce) errors.Add($"{ids.Count} patients chosen; assign at most {MaxPatientsAtOnce} at once.");
        if (unit is { Length: > MaxCareUnitLength }) errors.Add($"Care unit: at most {MaxCareUnitLength} characters.");
        ClinicUser? clinician = null;
        if (clinicianUserId is not null)
        {
            clinician = await users.FindByIdAsync(clinicianUserId);
            if (clinician is null || !await users.IsInRoleAsync(clinician, Roles.Clinician))
                errors.Add("Clinician: that account does not exist or is not a clinician.");
        }
        if (errors.Count > 0) return AssignmentResult.Refused([.. errors]);

        var (_, result) = await audit.RecordAsync(async db =>
        {
            var patients = await db.Patients.Where(p => ids.Contains(p.PatientId)).ToListAsync(cancellationToken);
            var missing = ids.Except(patients.Select(p => p.PatientId), StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
                return ((IReadOnlyList<AuditDraft>)[], AssignmentResult.Refused($"No patient with the code {string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? ", ..." : "")}."));

            var changed = patients.Where(p => p.ClinicianUserId != clinicianUserId || p.CareUnit != unit).ToList();
            var before = changed.Select(p => new { patientId = p.PatientId, clinicianUserId = p.ClinicianUserId, careUnit = p.CareUnit }).ToList();
            foreach (var patient in changed)
            {
                patient.ClinicianUserId = clinicianUserId;
                patient.CareUnit = unit;
            }
            IReadOnlyList<AuditDraft> drafts = changed.Count == 0 ? [] :
            [
                new AuditDraft(clock.GetUtcNow(), actor.UserId, actor.FullName, actor.Role, AuditActions.PatientUpdated,
                    AuditEntityTypes.Patient, changed.Count == 1 ? changed[0].PatientId : "assignment", changed.Count == 1 ? changed[0].PatientId : null,
                    AuditOutcome.Success,
                    AuditDetails.Of(new
                    {
                        change = "assignment", clinicianUserId, clinician = clinician?.FullName, careUnit = unit,
                        patients = changed.Select(p => p.PatientId), before,
                    })),
            ];
            return (drafts, new AssignmentResult(changed.Count, []));
        }, cancellationToken);
        return result;
    }
}
