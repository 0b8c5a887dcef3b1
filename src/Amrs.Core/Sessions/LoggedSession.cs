using Amrs.Core.Affect;

namespace Amrs.Core.Sessions;

/// <summary>
/// One listening session as logged (imported history or a delivered session): what was played in order and
/// what was observed. Unobserved signals are null.
/// </summary>
public sealed record LoggedSession(
    string SessionId,
    string PatientId,
    DateTimeOffset StartedAt,
    SessionMode Mode,
    AffectPoint Target,
    IReadOnlyList<LoggedStep> Steps);

/// <summary>
/// One track of a session. Engagement (fraction listened) is always observed; a rating (0/1) and observed
/// valence/arousal only sometimes. <see cref="Propensity"/> is the logging policy's probability of the
/// choice, where known.
/// </summary>
public sealed record LoggedStep(
    int Position,
    string TrackId,
    double Engagement,
    int? Rating,
    double? Valence,
    double? Arousal,
    double? Propensity = null)
{
    public bool HasAffect => Valence is not null && Arousal is not null;
}
