namespace Amrs.Data.Delivery;

/// <summary>What an observation is about.</summary>
public enum ObservationKind
{
    /// <summary>The affect observed before the music starts.</summary>
    Baseline,

    /// <summary>One track: affect, OERS items, engagement, note.</summary>
    Track,

    /// <summary>What happened when the session was stopped at once.</summary>
    Stop,

    /// <summary>The closing summary.</summary>
    Summary,
}

/// <summary>Listened fully (1.0), partly (the timer's fraction), refused (0.0) or skipped (0.0).</summary>
public enum TrackEngagement
{
    Full,
    Partial,
    Refused,
    Skipped,
}

/// <summary>
/// One version of one observation. Observations are saved as they are entered; a correction adds a new version
/// (higher <see cref="Version"/>) and never overwrites. The latest version of each (kind, position) counts.
/// Observed Emotion Rating Scale items are 1-5 by duration (1 never ... 5 more than 5 minutes).
/// </summary>
public sealed class DeliveryObservationEntity
{
    public long Id { get; set; }
    public Guid DeliveryId { get; set; }
    public ObservationKind Kind { get; set; }
    public int Position { get; set; }
    public int Version { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public required string RecordedByUserId { get; set; }
    public required string RecordedByName { get; set; }
    public double? Valence { get; set; }
    public double? Arousal { get; set; }
    public int? Pleasure { get; set; }
    public int? Anger { get; set; }
    public int? AnxietyFear { get; set; }
    public int? Sadness { get; set; }
    public int? Alertness { get; set; }
    public TrackEngagement? Engagement { get; set; }

    /// <summary>For a partly listened track: the share of the track heard (from the timer), 0..1.</summary>
    public double? ListenedFraction { get; set; }

    public int? Rating { get; set; }
    public string? Note { get; set; }
}
