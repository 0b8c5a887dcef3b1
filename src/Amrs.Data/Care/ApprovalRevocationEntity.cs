namespace Amrs.Data.Care;

/// <summary>
/// A clinician's signed withdrawal of an approved playlist (21 CFR 11.50): who, when, why. The approval itself
/// stays as it was signed; this record beside it stops it from being delivered. At most one per approval, and
/// never edited or deleted.
/// </summary>
public sealed class ApprovalRevocationEntity
{
    public Guid Id { get; set; }
    public Guid ApprovalId { get; set; }
    public required string PatientId { get; set; }
    public required string RevokedByUserId { get; set; }
    public required string RevokedByPrintedName { get; set; }
    public required string RevokedByRole { get; set; }
    public DateTimeOffset RevokedAt { get; set; }
    public required string Meaning { get; set; }
    public required string Reason { get; set; }
}
