using Amrs.Core.Audit;

namespace Amrs.Core.Ethics;

/// <summary>
/// What the ethics guard decided. A refusal names the first rule that failed and why, in plain words; an
/// allowed decision has <see cref="Rule"/> = <see cref="GuardRules.AllPassed"/>. Either way
/// <see cref="RulesChecked"/> lists the rules evaluated, in order (for a refusal, up to the failing one).
/// Every decision is meant to be written to the audit trail (<see cref="AuditAction"/>, <see cref="AuditOutcome"/>,
/// <see cref="ToAuditDetails"/>).
/// </summary>
public sealed record GuardDecision(bool Allowed, string Rule, string Reason, IReadOnlyList<string> RulesChecked)
{
    public static GuardDecision Allow(IReadOnlyList<string> rulesChecked) =>
        new(true, GuardRules.AllPassed, $"Allowed: {rulesChecked.Count} rules passed ({string.Join(", ", rulesChecked)}).", rulesChecked);

    public static GuardDecision Refuse(string rule, string reason, IReadOnlyList<string> rulesChecked) =>
        new(false, rule, reason, rulesChecked);

    public string AuditAction => Allowed ? AuditActions.GuardAllowed : AuditActions.GuardRefused;

    public AuditOutcome AuditOutcome => Allowed ? AuditOutcome.Success : AuditOutcome.Refused;

    /// <summary>The decision as the audit entry's details JSON: <c>{"rule", "reason", "rulesChecked", "check"}</c>.</summary>
    public string ToAuditDetails(string check) =>
        AuditDetails.Of(new { check, allowed = Allowed, rule = Rule, reason = Reason, rulesChecked = RulesChecked });
}
