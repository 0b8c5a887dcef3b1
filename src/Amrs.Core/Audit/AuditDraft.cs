namespace Amrs.Core.Audit;

/// <summary>
/// What a caller writes to the audit trail: everything of an <see cref="AuditEntry"/> except the chain fields
/// (sequence and hashes), which the store assigns when it seals the draft onto the end of the chain.
/// </summary>
public sealed record AuditDraft(
    DateTimeOffset RecordedAt,
    string ActorId,
    string ActorName,
    string ActorRole,
    string Action,
    string EntityType,
    string EntityId,
    string? PatientId,
    AuditOutcome Outcome,
    string Details = AuditDetails.Empty);
