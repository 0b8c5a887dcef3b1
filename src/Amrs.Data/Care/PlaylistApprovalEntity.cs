using Amrs.Core.Affect;
using Amrs.Core.Ethics;

namespace Amrs.Data.Care;

/// <summary>
/// A clinician's signed decision on a previewed playlist (21 CFR 11.50, 11.70): the printed name, time and
/// meaning of the signature and a hash binding patient, profile version, model versions and track list. Once
/// signed the record is never edited; a change means a new preview and a new approval.
/// </summary>
public sealed class PlaylistApprovalEntity
{
    public Guid Id { get; set; }
    public Guid PreviewId { get; set; }
    public required string PatientId { get; set; }
    public long ProfileId { get; set; }
    public int ProfileVersion { get; set; }
    public SessionMode Mode { get; set; }
    public double? TargetValence { get; set; }
    public double? TargetArousal { get; set; }
    public required string ModelBundleId { get; set; }
    public List<string> ModelVersions { get; set; } = [];
    public List<string> TrackIds { get; set; } = [];
    public ApprovalStatus Status { get; set; }
    public required string SignerUserId { get; set; }
    public required string SignerPrintedName { get; set; }
    public required string SignerRole { get; set; }
    public DateTimeOffset SignedAt { get; set; }
    public required string Meaning { get; set; }
    public DateTimeOffset ScheduledFor { get; set; }
    public DateTimeOffset ValidUntil { get; set; }
    public required string BindingHash { get; set; }
    public string? RejectionReason { get; set; }

    /// <summary>The clinician's notes for care staff (shown on the day's list).</summary>
    public string? Notes { get; set; }

    public BoundPlaylist ToBoundPlaylist() => new(
        Id.ToString(), PatientId, Mode,
        TargetValence is { } v && TargetArousal is { } a ? new AffectPoint(v, a) : null,
        ProfileVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ModelVersions.ToArray(), TrackIds.ToArray());

    public ApprovalRecord ToApprovalRecord() => new(
        Id.ToString(), PatientId, Status, SignerUserId, SignerPrintedName, SignerRole, SignedAt, Meaning,
        ScheduledFor, ValidUntil, BindingHash);
}
