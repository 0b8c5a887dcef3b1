namespace Amrs.Core.Audit;

/// <summary>The kinds of record an audit entry points at. Stored and hashed: never change a value.</summary>
public static class AuditEntityTypes
{
    public const string User = "User";
    public const string Patient = "Patient";
    public const string UtilityProfile = "UtilityProfile";
    public const string Playlist = "Playlist";
    public const string Approval = "Approval";
    public const string Session = "Session";
    public const string Observation = "Observation";
    public const string Dataset = "Dataset";
    public const string TrainingRun = "TrainingRun";
    public const string ModelVersion = "ModelVersion";
    public const string AuditTrail = "AuditTrail";
}
