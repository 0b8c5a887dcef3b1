using Amrs.Core.Affect;
using Amrs.Data.Delivery;

namespace Amrs.Clinic.Services.Delivery;

/// <summary>One approved playlist on today's list, with the session to resume if one is running.</summary>
public sealed record TodayItem(
    Guid ApprovalId,
    string PatientId,
    string? CareUnit,
    SessionMode Mode,
    AffectPoint? Target,
    DateTimeOffset ScheduledFor,
    DateTimeOffset ValidUntil,
    string SignedBy,
    string? Notes,
    int TrackCount,
    Guid? RunningDeliveryId,
    DeliveryStatus? LastOutcome,
    bool AwaitsClinicianAfterDistress = false);

/// <summary>A catalog track in the approved list, as care staff see it (no audio: staff play it themselves).</summary>
public sealed record DeliveryTrack(int Position, string TrackId, string Title, string Artist, double? DurationSeconds);

/// <summary>The latest version of one observation, with who recorded it and when.</summary>
public sealed record RecordedObservation(TrackObservation Values, int Version, DateTimeOffset RecordedAt, string RecordedBy);

/// <summary>
/// A delivered session as stored: where it stands, the approved list and the latest version of each
/// observation. Pages rebuild themselves from this after a lost connection (resume).
/// </summary>
public sealed record DeliveryView(
    Guid DeliveryId,
    Guid ApprovalId,
    string PatientId,
    SessionMode Mode,
    string? Notes,
    DeliveryStatus Status,
    int CurrentPosition,
    int Revision,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string StartedBy,
    AffectPoint? Baseline,
    IReadOnlyList<DeliveryTrack> Tracks,
    IReadOnlyDictionary<int, RecordedObservation> TrackObservations,
    string? StopReason,
    bool MayDeliver)
{
    public bool IsRunning => Status == DeliveryStatus.Running;

    /// <summary>The track playing now, or null once every track has been played.</summary>
    public DeliveryTrack? CurrentTrack => CurrentPosition < Tracks.Count ? Tracks[CurrentPosition] : null;

    public TrackObservation ObservationAt(int position) =>
        TrackObservations.TryGetValue(position, out var recorded) ? recorded.Values : TrackObservation.Empty;
}

/// <summary>The outcome of a start: the new session, or why it may not start (nothing written but the audit entry).</summary>
public sealed record StartResult(Guid? DeliveryId, string? Refusal, string? Rule = null)
{
    public bool Started => DeliveryId is not null;

    /// <summary>When the start was refused because a session from the same playlist runs already: that session.</summary>
    public Guid? RunningDeliveryId { get; init; }

    public static StartResult Refused(string reason, string? rule = null) => new(null, reason, rule);
}

/// <summary>The outcome of saving an observation: its new version, or what is wrong (nothing saved).</summary>
public sealed record SaveResult(int? Version, IReadOnlyList<string> Errors)
{
    public bool Saved => Version is not null;

    public static SaveResult Refused(params string[] errors) => new(null, errors);
}

/// <summary>The outcome of moving through the list: the session as it now stands, and an error if the move was refused.</summary>
public sealed record MoveResult(DeliveryView Session, string? Error)
{
    public bool Moved => Error is null;
}

/// <summary>What a finished session came to, shown at the end and kept as training data.</summary>
public sealed record CompletionSummary(
    Guid DeliveryId,
    string SessionLogId,
    int TracksPlayed,
    int Full,
    int Partial,
    int Refused,
    int Skipped,
    double MeanEngagement,
    AffectPoint? Baseline,
    AffectPoint? LastObserved);

/// <summary>The outcome of completing or stopping: the summary, or why it was refused.</summary>
public sealed record EndResult(CompletionSummary? Summary, string? Error)
{
    public bool Ended => Summary is not null;
}

/// <summary>An open alert: a session stopped at once, not yet acknowledged by the responsible clinician.</summary>
public sealed record DeliveryAlert(
    Guid DeliveryId,
    string PatientId,
    DateTimeOffset StoppedAt,
    string StoppedBy,
    string Reason,
    int TrackPosition,
    string? TrackTitle);
