namespace Amrs.Core.Audit;

/// <summary>How an audited action ended. The names are part of the hashed content: never rename them.</summary>
public enum AuditOutcome
{
    /// <summary>The action was carried out.</summary>
    Success,

    /// <summary>A rule or a permission stopped the action (an ethics guard refusal, a failed sign-in).</summary>
    Refused,

    /// <summary>The action was attempted and broke (an exception, an interrupted training run).</summary>
    Failure,
}
