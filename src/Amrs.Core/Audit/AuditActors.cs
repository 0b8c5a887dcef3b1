namespace Amrs.Core.Audit;

/// <summary>The actor recorded for work no person started (background training, scheduled checks).</summary>
public static class AuditActors
{
    public const string SystemId = "system";
    public const string SystemName = "AMRS Clinic";
    public const string SystemRole = "System";

    /// <summary>Actor id for a failed sign-in whose user name matches no account (the name tried goes in Details).</summary>
    public const string UnknownUserId = "unknown";
}
