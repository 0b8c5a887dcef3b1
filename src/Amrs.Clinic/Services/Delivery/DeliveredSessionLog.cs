using Amrs.Core.Affect;
using Amrs.Data.Care;
using Amrs.Data.Clinical;
using Amrs.Data.Delivery;

namespace Amrs.Clinic.Services.Delivery;

/// <summary>
/// Turns a delivered session into training data: a logged session (Source = Delivered) with one step per track
/// that has a recorded engagement, from the latest version of its observation. Engagement: listened fully 1.0,
/// partly the timer's fraction, refused or skipped 0.0. Ratings and observed affect only where recorded.
/// Tracks passed without any engagement recorded are left out rather than guessed.
/// </summary>
public static class DeliveredSessionLog
{
    public static string SessionIdFor(Guid deliveryId) => $"D-{deliveryId:N}";

    public static double EngagementValue(TrackEngagement engagement, double? listenedFraction) => engagement switch
    {
        TrackEngagement.Full => 1.0,
        TrackEngagement.Partial => Math.Clamp(listenedFraction ?? 0.0, 0.0, 1.0),
        TrackEngagement.Refused or TrackEngagement.Skipped => 0.0,
        _ => throw new ArgumentOutOfRangeException(nameof(engagement), engagement, "Unknown engagement."),
    };

    /// <summary>The latest version of each track observation, by position.</summary>
    public static Dictionary<int, DeliveryObservationEntity> LatestTrackObservations(IEnumerable<DeliveryObservationEntity> observations) =>
        observations
            .Where(o => o.Kind == ObservationKind.Track)
            .GroupBy(o => o.Position)
            .ToDictionary(g => g.Key, g => g.MaxBy(o => o.Version)!);

    public static SessionLogEntity Build(DeliverySessionEntity delivery, PlaylistApprovalEntity approval, IEnumerable<DeliveryObservationEntity> observations)
    {
        var sessionId = SessionIdFor(delivery.Id);
        var target = approval.TargetValence is { } v && approval.TargetArousal is { } a
            ? new AffectPoint(v, a)
            : ModeTargets.DefaultTarget(approval.Mode);
        var latest = LatestTrackObservations(observations);
        var steps = latest.Values
            .Where(o => o.Engagement is not null && o.Position >= 0 && o.Position < approval.TrackIds.Count)
            .OrderBy(o => o.Position)
            .Select(o => new SessionStepEntity
            {
                SessionId = sessionId,
                Position = o.Position,
                TrackId = approval.TrackIds[o.Position],
                Engagement = EngagementValue(o.Engagement!.Value, o.ListenedFraction),
                Rating = o.Rating,
                Valence = o.Valence,
                Arousal = o.Arousal,
            })
            .ToList();
        return new SessionLogEntity
        {
            SessionId = sessionId,
            PatientId = delivery.PatientId,
            StartedAt = delivery.StartedAt,
            Mode = approval.Mode,
            TargetValence = target.Valence,
            TargetArousal = target.Arousal,
            Source = SessionSource.Delivered,
            Steps = steps,
        };
    }
}
