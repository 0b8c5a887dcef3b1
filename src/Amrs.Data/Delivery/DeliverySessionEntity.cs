namespace Amrs.Data.Delivery;

public enum DeliveryStatus
{
    Running,
    Completed,
    Stopped,
}

/// <summary>
/// A session delivered by care staff from an approved playlist. It becomes training data when it ends (a
/// logged session with Source = Delivered). A stop for distress raises an alert for the patient's clinician
/// until acknowledged.
/// </summary>
public sealed class DeliverySessionEntity
{
    public Guid Id { get; set; }
    public Guid ApprovalId { get; set; }
    public required string PatientId { get; set; }
    public DeliveryStatus Status { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public required string StartedByUserId { get; set; }
    public required string StartedByName { get; set; }
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>The position of the track now playing (0-based), or the count played once it ends.</summary>
    public int CurrentPosition { get; set; }

    /// <summary>Why the session was stopped (distress, agitation, adverse reaction), in the staff's words.</summary>
    public string? StopReason { get; set; }

    public DateTimeOffset? AlertAcknowledgedAt { get; set; }
    public string? AlertAcknowledgedByUserId { get; set; }

    /// <summary>Optimistic concurrency: two devices cannot both advance one session.</summary>
    public int Revision { get; set; }

    public List<DeliveryObservationEntity> Observations { get; set; } = [];
}
