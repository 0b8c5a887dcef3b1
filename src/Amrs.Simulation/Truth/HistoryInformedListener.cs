using Amrs.Core.Affect;
using Amrs.Core.Catalog;
using Amrs.Core.Patients;
using Amrs.Core.Sessions;
using Amrs.Simulation.Catalog;
using Amrs.Simulation.Cohort;

namespace Amrs.Simulation.Truth;

/// <summary>
/// A reference for what a patient's logged history reveals: the truth's own equations (<see cref="ResponseSimulator"/>)
/// with the patient's hidden traits replaced by estimates from what they showed so far. It knows the equations and
/// the population's average traits for the patient's care setting, which no learned model is given, and it sees only
/// the observations a world model sees. Where the world model comes close to it, the history holds little more to learn;
/// where a target lies above it, reaching the target asks for more than these estimates give.
/// <list type="bullet">
/// <item>The patient's mean liking, from their ratings: the inverse of the rating equation at their mean rating
/// (shrunk toward 0.5 by <see cref="PriorWeight"/> pseudo-ratings).</item>
/// <item>Liking of a played track, from its engagement: the mean liking + 2 (engagement + fatigue x position - the
/// patient's level so far), the inverse of the engagement equation.</item>
/// <item>Liking of the next track: the mean liking plus the patient's mean deviation on its genre so far (twice the
/// engagement deviation, plus the rating's deviation from their mean rating), shrunk toward 0 by
/// <see cref="PriorWeight"/> pseudo-observations. Genre affinity is the largest part of liking; the other parts are
/// left at their population effect.</item>
/// <item>Baseline mood: least squares along the mood's path, which from a session's start is affine in the
/// baseline (s = alpha b + beta, with the population's entrainment rate and the played tracks' estimated
/// liking), shrunk toward the population's mean baseline by <see cref="PriorWeight"/> pseudo-observations.</item>
/// <item>Entrainment rate, fatigue: the population's means.</item>
/// </list>
/// </summary>
public sealed class HistoryInformedListener
{
    /// <summary>Pseudo-observations behind every estimate (population mean or 0.5 liking).</summary>
    public const double PriorWeight = 2;
    /// <summary>Pseudo-observations behind the patient's engagement level.</summary>
    private const double LevelPriorWeight = 5;

    private readonly PopulationMeans _population;
    private readonly double[] _genreLikingSums = new double[Genres.All.Count];
    private readonly int[] _genreCounts = new int[Genres.All.Count];
    private readonly double[] _baselineNumerator = new double[2];
    private double _baselineDenominator;
    private double _ratingSum;
    private int _ratingCount;
    private double _levelSum;
    private int _levelCount;
    private double _alpha = 1;
    private readonly double[] _beta = new double[2];

    private HistoryInformedListener(PopulationMeans population) => _population = population;

    public int Position { get; private set; }

    /// <summary>Population means per care setting, drawn once per world (deterministic).</summary>
    public static Func<Patient, HistoryInformedListener> Factory(WorldConfig config)
    {
        var draws = Math.Max(config.PopulationOracleDraws, 1000);
        var clinical = PopulationMeans.Of(CohortGenerator.DrawPopulation(config, CareSetting.Clinical, draws));
        var consumer = PopulationMeans.Of(CohortGenerator.DrawPopulation(config, CareSetting.Consumer, draws));
        return patient => new HistoryInformedListener(patient.CareSetting == CareSetting.Clinical ? clinical : consumer);
    }

    public void BeginSession()
    {
        Position = 0;
        _alpha = 1;
        Array.Clear(_beta);
    }

    /// <summary>The equations' expectation for the next track with the estimated traits; does not change the state.</summary>
    public ExpectedResponse Expected(Track track)
    {
        var liking = LikingEstimate(track);
        var baseline = Baseline();
        var now = new AffectPoint(_alpha * baseline.Valence + _beta[0], _alpha * baseline.Arousal + _beta[1]);
        var next = ResponseSimulator.NextState(now, baseline, _population.EntrainmentRate, track, liking);
        return new ExpectedResponse(
            Engagement: SimMath.Clamp01(ResponseSimulator.EngagementMean(EngagementBias(), _population.FatiguePerTrack, liking, Position)),
            RatingProbability: ResponseSimulator.RatingProbability(liking),
            Valence: next.Valence,
            Arousal: next.Arousal);
    }

    /// <summary>Plays the track and learns from what was observed after it.</summary>
    public void Observe(Track track, LoggedStep observed)
    {
        var levelled = observed.Engagement + _population.FatiguePerTrack * Position;
        var deviation = (levelled - Level()) / ResponseSimulator.EngagementPerLiking;
        var liking = SimMath.Clamp01(MeanLiking() + deviation);
        var g = Genres.IndexOf(track.Genre);
        if (g >= 0)
        {
            _genreLikingSums[g] += deviation + (observed.Rating is { } rating ? rating - MeanRating() : 0);
            _genreCounts[g]++;
        }
        _levelSum += levelled;
        _levelCount++;
        if (observed.Rating is { } r)
        {
            _ratingSum += r;
            _ratingCount++;
        }

        var pull = ResponseSimulator.Pull(_population.EntrainmentRate, liking);
        var keep = 1 - pull - ResponseSimulator.BaselineDrift;
        _alpha = keep * _alpha + ResponseSimulator.BaselineDrift;
        _beta[0] = keep * _beta[0] + pull * track.Valence + ResponseSimulator.LikingMoodEffect * (liking - 0.5);
        _beta[1] = keep * _beta[1] + pull * track.Arousal;
        if (observed.Valence is { } v && observed.Arousal is { } a)
        {
            _baselineNumerator[0] += _alpha * (v - _beta[0]);
            _baselineNumerator[1] += _alpha * (a - _beta[1]);
            _baselineDenominator += _alpha * _alpha;
        }
        Position++;
    }

    private double LikingEstimate(Track track)
    {
        var g = Genres.IndexOf(track.Genre);
        var genre = g < 0 ? 0 : _genreLikingSums[g] / (_genreCounts[g] + PriorWeight);
        return SimMath.Clamp01(MeanLiking() + genre);
    }

    private double MeanRating() => (_ratingSum + 0.5 * PriorWeight) / (_ratingCount + PriorWeight);

    /// <summary>The liking at which the rating equation gives the patient's mean rating.</summary>
    private double MeanLiking()
    {
        var p = MeanRating();
        return 0.5 + Math.Log(p / (1 - p)) / ResponseSimulator.RatingSteepness;
    }

    /// <summary>The engagement bias the level implies: the level holds the patient's mean liking, B + 0.5 (mean liking - 0.5).</summary>
    private double EngagementBias() => Level() - ResponseSimulator.EngagementPerLiking * (MeanLiking() - 0.5);

    private double Level() =>
        (_levelSum + _population.LevelledEngagement * LevelPriorWeight) / (_levelCount + LevelPriorWeight);

    private AffectPoint Baseline() => new(
        (_baselineNumerator[0] + PriorWeight * _population.Baseline.Valence) / (_baselineDenominator + PriorWeight),
        (_baselineNumerator[1] + PriorWeight * _population.Baseline.Arousal) / (_baselineDenominator + PriorWeight));

    private sealed record PopulationMeans(AffectPoint Baseline, double EntrainmentRate, double FatiguePerTrack, double LevelledEngagement)
    {
        public static PopulationMeans Of(IReadOnlyList<PatientTraits> draws) => new(
            new AffectPoint(draws.Average(t => t.Baseline.Valence), draws.Average(t => t.Baseline.Arousal)),
            draws.Average(t => t.EntrainmentRate),
            draws.Average(t => t.FatiguePerTrack),
            draws.Average(t => t.EngagementBias));
    }
}
