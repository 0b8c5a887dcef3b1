using Amrs.Core.Affect;
using Amrs.Core.Catalog;
using Amrs.Simulation.Catalog;
using Amrs.Simulation.Cohort;

namespace Amrs.Simulation.Truth;

/// <summary>The noise-free expectation of what a step would show (the oracle's answer).</summary>
/// <param name="Engagement">Expected observed engagement (fraction listened, 0..1).</param>
/// <param name="RatingProbability">Probability of a positive rating, were one given.</param>
/// <param name="Valence">Expected observed valence after the track.</param>
/// <param name="Arousal">Expected observed arousal after the track.</param>
public readonly record struct ExpectedResponse(double Engagement, double RatingProbability, double Valence, double Arousal)
{
    public AffectPoint Affect => new(Valence, Arousal);
}

/// <summary>What one step showed; unobserved signals are null (engagement is always observed).</summary>
public readonly record struct ObservedResponse(double Engagement, int? Rating, double? Valence, double? Arousal);

/// <summary>
/// The ground truth: how a listener with given traits responds to a track, given what was played before.
/// For patient p, track j (genre g, year y, affect x_j = (v_j, a_j)), latent affect state s (start of session:
/// the baseline b_p), position t in the session (0-based) and n = earlier plays of j by p:
/// <code>
/// liking     u = A_p[g] + R_p exp(-((y - c_p) / 10)^2 / 2) + F_p (1 - exp(-n / 3))
///                + W_p (v_j - 0.5) - 2 |a_j - a*_p|,          L = sigmoid(u)
/// state      s' = s + eta_p (0.3 + 0.7 L) (x_j - s) + rho (b_p - s) + (kappa (L - 0.5), 0),  clamped to [0,1]^2
/// engagement m = B_p + 0.5 (L - 0.5) - f_p t;   observed clamp(m + N(0, sigma_e^2), 0, 1)
/// rating     P(1) = sigmoid(6 (L - 0.5))
/// affect     observed clamp(s' + N(0, sigma_p^2), 0, 1) per axis
/// </code>
/// with rho = 0.05 (drift back to baseline) and kappa = 0.10 (liked music lifts mood, disliked lowers it).
/// Expectations of clamped observations use the closed form of a clamped normal mean.
/// </summary>
public sealed class ResponseSimulator(WorldConfig config)
{
    public const double BaselineDrift = 0.05;
    public const double LikingMoodEffect = 0.10;
    public const double BumpWidthYears = 10;
    public const double FamiliarityScale = 3;
    public const double ArousalMismatchPenalty = 2;
    public const double LikingOffset = 0.0;
    /// <summary>How much engagement rises per unit of liking.</summary>
    public const double EngagementPerLiking = 0.5;
    /// <summary>How steeply the chance of a positive rating rises with liking.</summary>
    public const double RatingSteepness = 6;

    public WorldConfig Config { get; } = config;

    public static double Liking(PatientTraits p, Track track, int earlierPlays)
    {
        var g = Genres.IndexOf(track.Genre);
        var u = LikingOffset + (g >= 0 ? p.GenreAffinity[g] : 0);
        if (track.Year is { } year)
        {
            var z = (year - p.ReminiscenceCentreYear) / BumpWidthYears;
            u += p.ReminiscenceStrength * Math.Exp(-0.5 * z * z);
        }
        u += p.FamiliarityGain * (1 - Math.Exp(-earlierPlays / FamiliarityScale));
        u += p.ValenceLiking * (track.Valence - 0.5);
        u -= ArousalMismatchPenalty * Math.Abs(track.Arousal - p.PreferredArousal);
        return SimMath.Sigmoid(u);
    }

    /// <summary>The latent affect state after listening to a track liked at level <paramref name="liking"/>.</summary>
    public static AffectPoint NextState(PatientTraits p, AffectPoint s, Track track, double liking) =>
        NextState(s, p.Baseline, p.EntrainmentRate, track, liking);

    /// <summary>The same for a listener known by its baseline and entrainment rate alone (estimates, for example).</summary>
    public static AffectPoint NextState(AffectPoint s, AffectPoint baseline, double entrainmentRate, Track track, double liking)
    {
        var pull = Pull(entrainmentRate, liking);
        var v = s.Valence + pull * (track.Valence - s.Valence) + BaselineDrift * (baseline.Valence - s.Valence)
            + LikingMoodEffect * (liking - 0.5);
        var a = s.Arousal + pull * (track.Arousal - s.Arousal) + BaselineDrift * (baseline.Arousal - s.Arousal);
        return new AffectPoint(SimMath.Clamp01(v), SimMath.Clamp01(a));
    }

    /// <summary>How far a track pulls the mood toward its own affect: music that is liked pulls harder.</summary>
    public static double Pull(double entrainmentRate, double liking) => entrainmentRate * (0.3 + 0.7 * liking);

    public static double EngagementMean(PatientTraits p, double liking, int position) =>
        EngagementMean(p.EngagementBias, p.FatiguePerTrack, liking, position);

    public static double EngagementMean(double engagementBias, double fatiguePerTrack, double liking, int position) =>
        engagementBias + EngagementPerLiking * (liking - 0.5) - fatiguePerTrack * position;

    public static double RatingProbability(double liking) => SimMath.Sigmoid(RatingSteepness * (liking - 0.5));

    public ExpectedResponse Expected(PatientTraits p, AffectPoint state, int position, int earlierPlays, Track track)
    {
        var liking = Liking(p, track, earlierPlays);
        var next = NextState(p, state, track, liking);
        return new ExpectedResponse(
            Engagement: SimMath.ClampedNormalMean(EngagementMean(p, liking, position), p.EngagementNoise),
            RatingProbability: RatingProbability(liking),
            Valence: SimMath.ClampedNormalMean(next.Valence, p.AffectNoise),
            Arousal: SimMath.ClampedNormalMean(next.Arousal, p.AffectNoise));
    }

    /// <summary>
    /// Samples the observation. Engagement is rounded to 3 decimals (fraction listened), affect to 2 (a rating
    /// slider); rating and affect are present with the configured rates.
    /// </summary>
    public ObservedResponse Observe(PatientTraits p, AffectPoint state, int position, int earlierPlays, Track track, Random rng)
    {
        var liking = Liking(p, track, earlierPlays);
        var next = NextState(p, state, track, liking);
        var engagement = Math.Round(SimMath.Clamp01(EngagementMean(p, liking, position) + rng.Gaussian(0, p.EngagementNoise)), 3);
        // Draw every random number whether or not it is kept, so observation rates never shift other draws.
        var ratingDraw = rng.NextDouble();
        var ratingSeen = rng.NextDouble() < Config.RatingObservedRate;
        var valence = Math.Round(SimMath.Clamp01(next.Valence + rng.Gaussian(0, p.AffectNoise)), 2);
        var arousal = Math.Round(SimMath.Clamp01(next.Arousal + rng.Gaussian(0, p.AffectNoise)), 2);
        var affectSeen = rng.NextDouble() < Config.AffectObservedRate;
        return new ObservedResponse(
            engagement,
            ratingSeen ? (ratingDraw < RatingProbability(liking) ? 1 : 0) : null,
            affectSeen ? valence : null,
            affectSeen ? arousal : null);
    }
}
