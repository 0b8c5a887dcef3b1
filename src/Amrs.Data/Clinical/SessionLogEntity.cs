using Amrs.Core.Affect;
using Amrs.Core.Sessions;

namespace Amrs.Data.Clinical;

/// <summary>Where a logged session came from. All of them are training data.</summary>
public enum SessionSource
{
    /// <summary>Made by the generator for the demo world.</summary>
    Generated,

    /// <summary>Imported from a session-log CSV.</summary>
    Imported,

    /// <summary>Delivered in this clinic by care staff from an approved playlist.</summary>
    Delivered,
}

/// <summary>A logged listening session and its tracks in order.</summary>
public sealed class SessionLogEntity
{
    public required string SessionId { get; set; }
    public required string PatientId { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public SessionMode Mode { get; set; }
    public double TargetValence { get; set; }
    public double TargetArousal { get; set; }
    public SessionSource Source { get; set; }

    /// <summary>
    /// When this clinic stored the session (stamped by <see cref="ClinicDbContext"/> on insert): after it ended for a
    /// delivered one, at the import for an imported one. A preview's history is the sessions started and stored
    /// before it, so nothing written later (a session running at the time, an import of older logs) changes it.
    /// </summary>
    public DateTimeOffset RecordedAt { get; set; }

    public List<SessionStepEntity> Steps { get; set; } = [];

    public LoggedSession ToDomain() => new(SessionId, PatientId, StartedAt, Mode, new AffectPoint(TargetValence, TargetArousal),
        Steps.OrderBy(s => s.Position).Select(s => s.ToDomain()).ToArray());

    public static SessionLogEntity From(LoggedSession session, SessionSource source) => new()
    {
        SessionId = session.SessionId,
        PatientId = session.PatientId,
        StartedAt = session.StartedAt.ToUniversalTime(),
        Mode = session.Mode,
        TargetValence = session.Target.Valence,
        TargetArousal = session.Target.Arousal,
        Source = source,
        Steps = session.Steps.Select(s => SessionStepEntity.From(session.SessionId, s)).ToList(),
    };
}

/// <summary>One track of a logged session with what was observed (null = not observed).</summary>
public sealed class SessionStepEntity
{
    public required string SessionId { get; set; }
    public int Position { get; set; }
    public required string TrackId { get; set; }
    public double Engagement { get; set; }
    public int? Rating { get; set; }
    public double? Valence { get; set; }
    public double? Arousal { get; set; }
    public double? Propensity { get; set; }

    public LoggedStep ToDomain() => new(Position, TrackId, Engagement, Rating, Valence, Arousal, Propensity);

    public static SessionStepEntity From(string sessionId, LoggedStep step) => new()
    {
        SessionId = sessionId,
        Position = step.Position,
        TrackId = step.TrackId,
        Engagement = step.Engagement,
        Rating = step.Rating,
        Valence = step.Valence,
        Arousal = step.Arousal,
        Propensity = step.Propensity,
    };
}
