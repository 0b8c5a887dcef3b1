namespace Amrs.Core.Audit;

/// <summary>
/// One sealed entry of the audit trail (21 CFR 11.10(e), HIPAA 164.312(b)). Entries are only ever appended:
/// an edit, a deletion or a reordering shows up when the chain is verified with <see cref="AuditChainVerifier"/>.
/// Make entries with <see cref="AuditChain.Seal(AuditDraft, AuditChainHead)"/>; the persistence layer stores
/// every property as it is and rebuilds the record from the row.
/// </summary>
/// <param name="Sequence">Position in the chain: 1 for the first entry, then +1 with no gaps.</param>
/// <param name="RecordedAt">
/// When the action happened, in UTC. Only whole milliseconds count (<see cref="RecordedAtUnixMilliseconds"/> is
/// what is hashed), so a column that keeps milliseconds or better round-trips the hash on SQLite and SQL Server.
/// </param>
/// <param name="ActorId">The user id (or <see cref="AuditActors.SystemId"/> for background work).</param>
/// <param name="ActorName">The actor's printed name at the time, as shown in the trail.</param>
/// <param name="ActorRole">The actor's role at the time (one of <c>Roles</c>, or <see cref="AuditActors.SystemRole"/>).</param>
/// <param name="Action">What was done: one of <see cref="AuditActions"/>.</param>
/// <param name="EntityType">The kind of record acted on: one of <see cref="AuditEntityTypes"/>.</param>
/// <param name="EntityId">The id of the record acted on (empty when the action has no single record).</param>
/// <param name="PatientId">The patient's pseudonym when the action concerns a patient, else null.</param>
/// <param name="Outcome">Whether it succeeded, was refused or failed.</param>
/// <param name="Details">A JSON object with the particulars, stored and hashed verbatim.</param>
/// <param name="PreviousHash">The <see cref="Hash"/> of the entry before (<see cref="AuditChain.GenesisHash"/> for the first).</param>
/// <param name="Hash">Lower-case hex SHA-256 of the canonical content (<see cref="AuditChain.CanonicalContent(AuditEntry)"/>).</param>
public sealed record AuditEntry(
    long Sequence,
    DateTimeOffset RecordedAt,
    string ActorId,
    string ActorName,
    string ActorRole,
    string Action,
    string EntityType,
    string EntityId,
    string? PatientId,
    AuditOutcome Outcome,
    string Details,
    string PreviousHash,
    string Hash)
{
    /// <summary>The instant that is hashed: milliseconds since 1970-01-01T00:00:00Z. Store this as a long if in doubt.</summary>
    public long RecordedAtUnixMilliseconds => RecordedAt.ToUnixTimeMilliseconds();

    /// <summary>The chain position this entry leaves behind, for sealing the next one.</summary>
    public AuditChainHead Head => new(Sequence, Hash);
}
