namespace Amrs.Core.Audit;

/// <summary>
/// The actions the clinic records. The values are stored and hashed: never change one; add new ones instead.
/// Grouped as <c>area.verb</c> so the trail can be filtered by prefix.
/// </summary>
public static class AuditActions
{
    // Accounts and access (Identity).
    public const string SignIn = "account.sign-in";
    public const string SignInFailed = "account.sign-in-failed";
    public const string SignOut = "account.sign-out";
    public const string Lockout = "account.lockout";
    public const string UserCreated = "account.user-created";
    public const string RolesChanged = "account.roles-changed";
    public const string UserLocked = "account.user-locked";
    public const string UserUnlocked = "account.user-unlocked";
    public const string PasswordReset = "account.password-reset";
    public const string PasswordChanged = "account.password-changed";

    // Patients.
    public const string PatientCreated = "patient.created";
    public const string PatientUpdated = "patient.updated";
    public const string PatientViewed = "patient.viewed";
    public const string ConsentChanged = "patient.consent-changed";

    // Clinical work: utility profiles and playlists.
    public const string ProfileSaved = "profile.saved";
    public const string PlaylistPreviewed = "playlist.preview";
    public const string PlaylistEdited = "playlist.edited";
    public const string PlaylistApproved = "playlist.approval";
    public const string PlaylistRejected = "playlist.rejection";
    public const string ApprovalRevoked = "playlist.approval-revoked";

    // Care delivery.
    public const string SessionStarted = "session.started";
    public const string Annotation = "session.annotation";
    public const string SessionStopped = "session.stopped";
    public const string SessionCompleted = "session.completed";
    public const string AdverseEvent = "session.adverse-event";
    public const string AlertAcknowledged = "session.alert-acknowledged";

    // Data.
    public const string Import = "data.import";
    public const string DataGenerated = "data.generated";
    public const string Export = "data.export";

    // Models.
    public const string TrainingStarted = "training.started";
    public const string TrainingFinished = "training.finished";
    public const string TrainingFailed = "training.failed";
    public const string TrainingCancelled = "training.cancelled";
    public const string ModelProposed = "model.proposed";
    public const string ModelPromoted = "model.promoted";
    public const string ModelRolledBack = "model.rolled-back";
    public const string ModelProposalWithdrawn = "model.proposal-withdrawn";

    // Ethics guard.
    public const string GuardAllowed = "guard.allowed";
    public const string GuardRefused = "guard.refused";

    // The audit trail itself.
    public const string AuditViewed = "audit.viewed";
    public const string AuditVerified = "audit.verified";

    /// <summary>Every action above, for pick lists and for checking that a stored action is known.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        SignIn, SignInFailed, SignOut, Lockout, UserCreated, RolesChanged, UserLocked, UserUnlocked, PasswordReset,
        PasswordChanged,
        PatientCreated, PatientUpdated, PatientViewed, ConsentChanged,
        ProfileSaved, PlaylistPreviewed, PlaylistEdited, PlaylistApproved, PlaylistRejected, ApprovalRevoked,
        SessionStarted, Annotation, SessionStopped, SessionCompleted, AdverseEvent, AlertAcknowledged,
        Import, DataGenerated, Export,
        TrainingStarted, TrainingFinished, TrainingFailed, TrainingCancelled, ModelProposed, ModelPromoted,
        ModelRolledBack, ModelProposalWithdrawn,
        GuardAllowed, GuardRefused,
        AuditViewed, AuditVerified,
    ];
}
