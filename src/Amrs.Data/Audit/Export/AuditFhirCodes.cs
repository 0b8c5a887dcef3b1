using Amrs.Core.Audit;
using Hl7.Fhir.Model;

namespace Amrs.Data.Audit.Export;

/// <summary>
/// How the clinic's audit actions map onto FHIR R4 AuditEvent codes: the event type (DICOM audit codes, as the
/// AuditEvent type value set uses), the CRUDE action code, and the outcome. The clinic's own action strings
/// travel as the subtype, in the <see cref="ActionSystem"/> code system.
/// </summary>
public static class AuditFhirCodes
{
    public const string DicomSystem = "http://dicom.nema.org/resources/ontology/DCM";
    public const string ActionSystem = "urn:amrs-clinic:audit-action";
    public const string RoleSystem = "urn:amrs-clinic:role";
    public const string UserSystem = "urn:amrs-clinic:user";
    public const string PatientSystem = "urn:amrs-clinic:patient-pseudonym";
    public const string RecordSystemPrefix = "urn:amrs-clinic:record:";
    public const string EntityTypeSystem = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    public const string ObjectRoleSystem = "http://terminology.hl7.org/CodeSystem/object-role";
    public const string SourceTypeSystem = "http://terminology.hl7.org/CodeSystem/security-source-type";
    public const string SecurityRoleTypeSystem = "http://terminology.hl7.org/CodeSystem/extra-security-role-type";

    /// <summary>The AuditEvent.type for an action (DICOM code and display).</summary>
    public static Coding EventType(string action) => action switch
    {
        AuditActions.SignIn or AuditActions.SignInFailed or AuditActions.SignOut or AuditActions.Lockout =>
            Dicom("110114", "User Authentication"),
        AuditActions.RolesChanged => Dicom("110136", "Security Roles Changed"),
        AuditActions.UserCreated or AuditActions.UserLocked or AuditActions.UserUnlocked or AuditActions.PasswordReset
            or AuditActions.PasswordChanged => Dicom("110137", "User Security Attributes Changed"),
        AuditActions.Import => Dicom("110107", "Import"),
        AuditActions.Export => Dicom("110106", "Export"),
        AuditActions.AuditViewed or AuditActions.AuditVerified => Dicom("110101", "Audit Log Used"),
        _ when action.StartsWith("patient.", StringComparison.Ordinal)
            || action.StartsWith("profile.", StringComparison.Ordinal)
            || action.StartsWith("playlist.", StringComparison.Ordinal)
            || action.StartsWith("session.", StringComparison.Ordinal) => Dicom("110110", "Patient Record"),
        _ => Dicom("110100", "Application Activity"),
    };

    /// <summary>
    /// The CRUDE code: C for what makes a new record, R for reading or exporting, U for a change of state, E for
    /// everything executed (sign-in, training, previews, guard checks). Nothing in the clinic deletes (D).
    /// </summary>
    public static AuditEvent.AuditEventAction ActionCode(string action) => action switch
    {
        AuditActions.UserCreated or AuditActions.PatientCreated or AuditActions.Annotation or AuditActions.AdverseEvent
            or AuditActions.SessionStarted or AuditActions.Import or AuditActions.DataGenerated
            or AuditActions.ModelProposed => AuditEvent.AuditEventAction.C,
        AuditActions.PatientViewed or AuditActions.AuditViewed or AuditActions.Export => AuditEvent.AuditEventAction.R,
        AuditActions.RolesChanged or AuditActions.UserLocked or AuditActions.UserUnlocked or AuditActions.PasswordReset
            or AuditActions.PasswordChanged or AuditActions.PatientUpdated or AuditActions.ConsentChanged
            or AuditActions.ProfileSaved or AuditActions.PlaylistEdited or AuditActions.PlaylistApproved
            or AuditActions.PlaylistRejected or AuditActions.ApprovalRevoked or AuditActions.SessionStopped
            or AuditActions.SessionCompleted or AuditActions.AlertAcknowledged or AuditActions.ModelPromoted
            or AuditActions.ModelRolledBack => AuditEvent.AuditEventAction.U,
        _ => AuditEvent.AuditEventAction.E,
    };

    /// <summary>Success is 0; a refusal (stopped by a rule or a permission) a minor failure, 4; a failure a serious one, 8.</summary>
    public static AuditEvent.AuditEventOutcome Outcome(AuditOutcome outcome) => outcome switch
    {
        AuditOutcome.Success => AuditEvent.AuditEventOutcome.N0,
        AuditOutcome.Refused => AuditEvent.AuditEventOutcome.N4,
        _ => AuditEvent.AuditEventOutcome.N8,
    };

    private static Coding Dicom(string code, string display) => new(DicomSystem, code, display);
}
