using Amrs.Core.Affect;

namespace Amrs.Simulation.Cohort;

/// <summary>
/// A patient's hidden make-up: what the ground truth knows and the engine never sees. Only the simulator
/// reads it; the observable <see cref="Amrs.Core.Patients.Patient"/> record is derived from it with noise.
/// </summary>
public sealed class PatientTraits
{
    public required string PatientId { get; init; }

    /// <summary>Liking offset per genre, indexed like <see cref="Catalog.Genres.All"/>.</summary>
    public required double[] GenreAffinity { get; init; }

    /// <summary>Centre (calendar year) of the reminiscence bump: music from about age 20 is liked most.</summary>
    public required double ReminiscenceCentreYear { get; init; }

    public required double ReminiscenceStrength { get; init; }

    /// <summary>Liking gained as a track becomes familiar (saturating in the number of earlier plays).</summary>
    public required double FamiliarityGain { get; init; }

    /// <summary>Engagement lost per track already played in the session.</summary>
    public required double FatiguePerTrack { get; init; }

    /// <summary>How fast the affect state follows the music (per track, at full liking).</summary>
    public required double EntrainmentRate { get; init; }

    /// <summary>Where the affect state starts each session and drifts back to.</summary>
    public required AffectPoint Baseline { get; init; }

    /// <summary>The track arousal this listener likes best.</summary>
    public required double PreferredArousal { get; init; }

    /// <summary>How much pleasant (high-valence) music is liked over sad music.</summary>
    public required double ValenceLiking { get; init; }

    /// <summary>The engagement of an average liked track at the start of a session.</summary>
    public required double EngagementBias { get; init; }

    /// <summary>Standard deviation of the observed valence and arousal around the true state.</summary>
    public required double AffectNoise { get; init; }

    public required double EngagementNoise { get; init; }
}
