using Amrs.Clinic.Security;
using Amrs.Core.Security;
using Amrs.Data.Clinical;

namespace Amrs.Clinic.Services.Patients;

/// <summary>
/// Who may see or act for a patient: a clinician only for the patients assigned to them; an Admin may look at
/// every patient but never sign; care staff only for patients of their care unit.
/// </summary>
public static class PatientAccess
{
    public static bool MayView(Actor actor, PatientEntity patient) =>
        actor.Principal.IsInRole(Roles.Admin) ||
        (actor.Principal.IsInRole(Roles.Clinician) && patient.ClinicianUserId == actor.UserId) ||
        (actor.Principal.IsInRole(Roles.CareStaff) && actor.CareUnit is not null && patient.CareUnit == actor.CareUnit);

    public static bool MayTreat(Actor actor, PatientEntity patient) =>
        actor.Principal.IsInRole(Roles.Clinician) && patient.ClinicianUserId == actor.UserId;

    /// <summary>Deliver sessions and record observations: care staff of the patient's care unit only.</summary>
    public static bool MayDeliver(Actor actor, PatientEntity patient) =>
        actor.Principal.IsInRole(Roles.CareStaff) && actor.CareUnit is not null && patient.CareUnit == actor.CareUnit;

    public static void RequireView(Actor actor, PatientEntity? patient, string patientId)
    {
        if (patient is null) throw new PatientNotFoundException(patientId);
        if (!MayView(actor, patient)) throw new AccessDeniedException($"Patient {patientId} is not assigned to you.");
    }

    public static void RequireDeliver(Actor actor, PatientEntity? patient, string patientId)
    {
        if (patient is null) throw new PatientNotFoundException(patientId);
        if (!MayDeliver(actor, patient)) throw new AccessDeniedException($"Patient {patientId} is not in your care unit.");
    }

    public static void RequireTreat(Actor actor, PatientEntity? patient, string patientId)
    {
        if (patient is null) throw new PatientNotFoundException(patientId);
        if (!MayTreat(actor, patient)) throw new AccessDeniedException($"Only the clinician responsible for {patientId} may do this.");
    }
}

/// <summary>No patient has that code.</summary>
public sealed class PatientNotFoundException(string patientId) : Exception($"There is no patient {patientId}.")
{
    public string PatientId { get; } = patientId;
}
