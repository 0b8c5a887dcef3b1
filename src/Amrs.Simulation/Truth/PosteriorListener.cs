using Amrs.Core.Affect;
using Amrs.Core.Catalog;
using Amrs.Core.Patients;
using Amrs.Core.Sessions;
using Amrs.Simulation.Catalog;
using Amrs.Simulation.Cohort;

namespace Amrs.Simulation.Truth;

/// <summary>How hard the <see cref="PosteriorListener"/> works; the defaults are what the evaluation reports.</summary>
/// <param name="Particles">Trait draws carried along.</param>
/// <param name="MoveSteps">Metropolis steps per particle each time the draws are renewed.</param>
/// <param name="RecordDraws">Noise draws that estimate how likely the patient's recorded genre ranking is for given affinities.</param>
/// <param name="RenewBelow">Renew when the effective sample size falls below this share of the particles.</param>
public sealed record PosteriorOptions(int Particles = 1000, int MoveSteps = 4, int RecordDraws = 1024, double RenewBelow = 0.5)
{
    public static PosteriorOptions Default { get; } = new();
}

/// <summary>
/// The Bayesian reference for what a patient's history reveals: the truth's own equations averaged over the posterior
/// of the patient's hidden traits, given the cohort prior the generator draws from, the patient's record (care
/// setting, birth year, recorded genres, decade and exclusions, each as noisy as the generator makes them) and every
/// observation so far. No predictor that sees the same history can do better on average than the exact posterior; this
/// is a Monte Carlo approximation of it (resample-move sequential Monte Carlo: prior draws weighted by the record,
/// reweighted by each observed step, and when the weights degenerate resampled and moved by random-walk Metropolis
/// over the whole history), so it is evidence about a ceiling, not a proof. Approximations: the recorded genre
/// ranking's likelihood is estimated from <see cref="PosteriorOptions.RecordDraws"/> fixed noise draws (with half a
/// draw added, so it is never zero), and observations are scored as densities (their rounding ignored) except at
/// the ends of the scale, where the clamped mass is used.
/// </summary>
public sealed class PosteriorListener
{
    // The latent draws behind the traits, as the generator makes them (before it clamps).
    private static readonly int G = Genres.All.Count;
    private static readonly int Bump = G;
    private static readonly int Reminiscence = G + 1;
    private static readonly int Familiarity = G + 2;
    private static readonly int Fatigue = G + 3;
    private static readonly int Entrainment = G + 4;
    private static readonly int BaselineValence = G + 5;
    private static readonly int BaselineArousal = G + 6;
    private static readonly int PreferredArousal = G + 7;
    private static readonly int ValenceLiking = G + 8;
    private static readonly int EngagementBias = G + 9;
    private static readonly int AffectNoise = G + 10;
    private static readonly int Dimensions = G + 11;

    private const double EngagementRounding = 0.0005;
    private const double AffectRounding = 0.005;

    private readonly ResponseSimulator _simulator;
    private readonly PosteriorOptions _options;
    private readonly TraitSpreads _spreads;
    private readonly SettingCentres _centres;
    private readonly Patient _patient;
    private readonly Random _rng;
    private readonly int[] _preferred;
    private readonly HashSet<int> _excluded;
    private readonly double[] _recordNoise;

    private double[][] _latents;
    private PatientTraits[] _traits;
    private double[] _logPrior;
    private double[] _logRecord;
    private double[] _logHistory;
    private double[] _logWeights;
    private AffectPoint[] _states;
    private readonly List<PlayedStep> _history = [];
    private readonly Dictionary<string, int> _plays = new(StringComparer.Ordinal);

    private PosteriorListener(ResponseSimulator simulator, Patient patient, PosteriorOptions options)
    {
        _simulator = simulator;
        _options = options;
        _spreads = simulator.Config.Traits;
        _centres = TraitPrior.For(patient.CareSetting);
        _patient = patient;
        _rng = SimMath.Rng(simulator.Config.Seed, "posterior-" + patient.PatientId);
        _preferred = patient.PreferredGenres.Select(Genres.IndexOf).Where(g => g >= 0).ToArray();
        _excluded = patient.ExcludedGenres.Select(Genres.IndexOf).Where(g => g >= 0).ToHashSet();
        _recordNoise = new double[options.RecordDraws * G];
        for (var i = 0; i < _recordNoise.Length; i++)
            _recordNoise[i] = _rng.Gaussian(0, TraitPrior.PreferredGenreNoise);

        var n = options.Particles;
        _latents = new double[n][];
        _traits = new PatientTraits[n];
        _logPrior = new double[n];
        _logRecord = new double[n];
        _logHistory = new double[n];
        _logWeights = new double[n];
        _states = new AffectPoint[n];
        for (var i = 0; i < n; i++)
        {
            _latents[i] = DrawFromPrior();
            _traits[i] = ToTraits(_latents[i]);
            _logPrior[i] = LogPrior(_latents[i]);
            _logRecord[i] = LogRecord(_latents[i]);
            _logWeights[i] = _logRecord[i];
            _states[i] = _traits[i].Baseline;
        }
        RenewIfDegenerate();
    }

    public static Func<Patient, PosteriorListener> Factory(ResponseSimulator simulator, PosteriorOptions? options = null) =>
        patient => new PosteriorListener(simulator, patient, options ?? PosteriorOptions.Default);

    public int Position { get; private set; }

    /// <summary>The share of the particles the weights are worth (1: all equally weighted).</summary>
    public double EffectiveShare => EffectiveSampleSize(Normalised()) / _latents.Length;

    /// <summary>The posterior mean of a trait.</summary>
    public double Mean(Func<PatientTraits, double> trait)
    {
        var weights = Normalised();
        return weights.Select((w, i) => w * trait(_traits[i])).Sum();
    }

    public void BeginSession()
    {
        Position = 0;
        for (var i = 0; i < _states.Length; i++)
            _states[i] = _traits[i].Baseline;
    }

    /// <summary>The truth's expectation for the next track averaged over the posterior; does not change the state.</summary>
    public ExpectedResponse Expected(Track track)
    {
        var weights = Normalised();
        return Average(_simulator, _traits, _states, i => weights[i], Position, _plays.GetValueOrDefault(track.TrackId), track);
    }

    /// <summary>The truth's expectation for <paramref name="track"/> averaged over trait draws with their moods.</summary>
    internal static ExpectedResponse Average(ResponseSimulator simulator, PatientTraits[] traits, AffectPoint[] states, Func<int, double> weight,
        int position, int plays, Track track)
    {
        double engagement = 0, rating = 0, valence = 0, arousal = 0;
        for (var i = 0; i < traits.Length; i++)
        {
            var e = simulator.Expected(traits[i], states[i], position, plays, track);
            var w = weight(i);
            engagement += w * e.Engagement;
            rating += w * e.RatingProbability;
            valence += w * e.Valence;
            arousal += w * e.Arousal;
        }
        return new ExpectedResponse(engagement, rating, valence, arousal);
    }

    /// <summary>
    /// <paramref name="count"/> trait draws resampled from the posterior as it stands, with their current moods: a listener
    /// model for planning ahead that learns nothing more (what-if plays move its moods, never this posterior).
    /// </summary>
    public PosteriorSample Sample(int count)
    {
        var picked = SystematicPicks(Normalised(), count);
        return new PosteriorSample(_simulator, picked.Select(k => _traits[k]).ToArray(), picked.Select(k => _states[k]).ToArray(),
            new Dictionary<string, int>(_plays, StringComparer.Ordinal), Position);
    }

    /// <summary>Plays the track and weighs every trait draw by how likely it made what was observed.</summary>
    public void Observe(Track track, LoggedStep observed)
    {
        var played = new PlayedStep(track, _plays.GetValueOrDefault(track.TrackId), Position, observed);
        for (var i = 0; i < _latents.Length; i++)
        {
            var (logLikelihood, next) = Step(_traits[i], _states[i], played);
            _logWeights[i] += logLikelihood;
            _logHistory[i] += logLikelihood;
            _states[i] = next;
        }
        _history.Add(played);
        _plays[track.TrackId] = played.EarlierPlays + 1;
        Position++;
        RenewIfDegenerate();
    }

    private void RenewIfDegenerate()
    {
        var weights = Normalised();
        if (EffectiveSampleSize(weights) >= _options.RenewBelow * weights.Length)
            return;

        // Random-walk scale per latent from the weighted spread of the current draws (2.38 / sqrt(d) of it).
        var scale = new double[Dimensions];
        for (var d = 0; d < Dimensions; d++)
        {
            double mean = 0, square = 0;
            for (var i = 0; i < weights.Length; i++)
            {
                mean += weights[i] * _latents[i][d];
                square += weights[i] * _latents[i][d] * _latents[i][d];
            }
            scale[d] = 2.38 / Math.Sqrt(Dimensions) * Math.Sqrt(Math.Max(square - mean * mean, 1e-10));
        }

        Resample(weights);
        for (var i = 0; i < _latents.Length; i++)
        {
            for (var step = 0; step < _options.MoveSteps; step++)
                Move(i, scale);
        }
    }

    /// <summary>Systematic resampling: every draw keeps about its weight's share of copies; weights become equal.</summary>
    private void Resample(double[] weights)
    {
        var picked = SystematicPicks(weights, weights.Length);
        _latents = picked.Select(k => _latents[k]).ToArray();
        _traits = picked.Select(k => _traits[k]).ToArray();
        _logPrior = picked.Select(k => _logPrior[k]).ToArray();
        _logRecord = picked.Select(k => _logRecord[k]).ToArray();
        _logHistory = picked.Select(k => _logHistory[k]).ToArray();
        _states = picked.Select(k => _states[k]).ToArray();
        Array.Clear(_logWeights);
    }

    /// <summary><paramref name="count"/> indices, each draw's share of them about its weight (systematic resampling).</summary>
    private int[] SystematicPicks(double[] weights, int count)
    {
        var picked = new int[count];
        var u = _rng.NextDouble() / count;
        double cumulative = weights[0];
        var j = 0;
        for (var i = 0; i < count; i++)
        {
            var threshold = u + (double)i / count;
            while (cumulative < threshold && j < weights.Length - 1)
                cumulative += weights[++j];
            picked[i] = j;
        }
        return picked;
    }

    /// <summary>One Metropolis step for particle <paramref name="i"/>, its target the prior times the record and the whole history.</summary>
    private void Move(int i, double[] scale)
    {
        var proposal = new double[Dimensions];
        for (var d = 0; d < Dimensions; d++)
            proposal[d] = _latents[i][d] + scale[d] * _rng.Gaussian();
        var logPrior = LogPrior(proposal);
        if (double.IsNegativeInfinity(logPrior))
            return;
        var logRecord = LogRecord(proposal);
        if (double.IsNegativeInfinity(logRecord))
            return;
        var traits = ToTraits(proposal);
        var (logHistory, state) = Replay(traits);
        var logRatio = logPrior + logRecord + logHistory - (_logPrior[i] + _logRecord[i] + _logHistory[i]);
        if (Math.Log(_rng.NextDouble()) >= logRatio)
            return;
        _latents[i] = proposal;
        _traits[i] = traits;
        _logPrior[i] = logPrior;
        _logRecord[i] = logRecord;
        _logHistory[i] = logHistory;
        _states[i] = state;
    }

    /// <summary>The whole history under given traits: its log-likelihood and the state it leaves.</summary>
    private (double LogLikelihood, AffectPoint State) Replay(PatientTraits traits)
    {
        double total = 0;
        var state = traits.Baseline;
        foreach (var played in _history)
        {
            if (played.Position == 0)
                state = traits.Baseline;
            var (logLikelihood, next) = Step(traits, state, played);
            total += logLikelihood;
            state = next;
        }
        return (total, Position == 0 ? traits.Baseline : state);
    }

    private static (double LogLikelihood, AffectPoint Next) Step(PatientTraits traits, AffectPoint state, PlayedStep played)
    {
        var liking = ResponseSimulator.Liking(traits, played.Track, played.EarlierPlays);
        var next = ResponseSimulator.NextState(traits, state, played.Track, liking);
        var observed = played.Observed;
        var total = LogClampedNormal(observed.Engagement,
            ResponseSimulator.EngagementMean(traits, liking, played.Position), traits.EngagementNoise, EngagementRounding);
        if (observed.Rating is { } rating)
        {
            var p = Math.Clamp(ResponseSimulator.RatingProbability(liking), 1e-12, 1 - 1e-12);
            total += Math.Log(rating == 1 ? p : 1 - p);
        }
        if (observed.Valence is { } v && observed.Arousal is { } a)
        {
            total += LogClampedNormal(v, next.Valence, traits.AffectNoise, AffectRounding)
                + LogClampedNormal(a, next.Arousal, traits.AffectNoise, AffectRounding);
        }
        return (total, next);
    }

    /// <summary>
    /// Log-likelihood of an observation that is clamp(mu + N(0, sd^2), 0, 1) rounded to steps of twice
    /// <paramref name="rounding"/>: the clamped mass at the ends, the density times the rounding step between.
    /// </summary>
    private static double LogClampedNormal(double x, double mu, double sd, double rounding)
    {
        if (x <= rounding)
            return Math.Log(Math.Max(SimMath.NormalCdf((rounding - mu) / sd), 1e-300));
        if (x >= 1 - rounding)
            return Math.Log(Math.Max(1 - SimMath.NormalCdf((1 - rounding - mu) / sd), 1e-300));
        var z = (x - mu) / sd;
        return -0.5 * z * z - Math.Log(sd) - 0.5 * Math.Log(2 * Math.PI) + Math.Log(2 * rounding);
    }

    private double[] DrawFromPrior()
    {
        var x = new double[Dimensions];
        x[Bump] = _patient.BirthYear + TraitPrior.BumpAge + _rng.Gaussian(0, TraitPrior.BumpSd);
        for (var g = 0; g < G; g++)
            x[g] = TraitPrior.MeanAffinity(g, x[Bump]) + _rng.Gaussian(0, _spreads.GenreAffinitySd);
        foreach (var (d, mean, sd) in GaussianLatents())
            x[d] = _rng.Gaussian(mean, sd);
        x[AffectNoise] = _spreads.AffectNoiseMin + (_spreads.AffectNoiseMax - _spreads.AffectNoiseMin) * _rng.NextDouble();
        return x;
    }

    /// <summary>The latents drawn as independent normals (before the generator clamps them).</summary>
    private (int Dimension, double Mean, double Sd)[] GaussianLatents() =>
    [
        (Reminiscence, _spreads.ReminiscenceStrengthMean, _spreads.ReminiscenceStrengthSd),
        (Familiarity, _spreads.FamiliarityGainMean, _spreads.FamiliarityGainSd),
        (Fatigue, _spreads.FatiguePerTrackMean, _spreads.FatiguePerTrackSd),
        (Entrainment, _spreads.EntrainmentRateMean, _spreads.EntrainmentRateSd),
        (BaselineValence, _centres.Baseline.Valence, _spreads.BaselineValenceSd),
        (BaselineArousal, _centres.Baseline.Arousal, _spreads.BaselineArousalSd),
        (PreferredArousal, _centres.PreferredArousal, _spreads.PreferredArousalSd),
        (ValenceLiking, TraitPrior.ValenceLikingMean, _spreads.ValenceLikingSd),
        (EngagementBias, _centres.EngagementBias, _spreads.EngagementBiasSd),
    ];

    /// <summary>Log prior density of the latents, up to a constant; minus infinity outside the noise's range.</summary>
    private double LogPrior(double[] x)
    {
        if (x[AffectNoise] < _spreads.AffectNoiseMin || x[AffectNoise] > _spreads.AffectNoiseMax)
            return double.NegativeInfinity;
        var total = LogNormal(x[Bump], _patient.BirthYear + TraitPrior.BumpAge, TraitPrior.BumpSd);
        for (var g = 0; g < G; g++)
            total += LogNormal(x[g], TraitPrior.MeanAffinity(g, x[Bump]), _spreads.GenreAffinitySd);
        foreach (var (d, mean, sd) in GaussianLatents())
            total += LogNormal(x[d], mean, sd);
        return total;
    }

    private static double LogNormal(double x, double mean, double sd)
    {
        var z = (x - mean) / sd;
        return -0.5 * z * z - Math.Log(sd);
    }

    /// <summary>
    /// Log-likelihood of the patient's record given the latents: the recorded decade (the bump plus noise, cut to a
    /// decade), the recorded genres in their order (the top of the affinities plus noise), and the excluded genres
    /// (the least liked of the others). Care setting and birth year are conditioned on exactly; the rest of the record
    /// does not depend on the traits.
    /// </summary>
    private double LogRecord(double[] x)
    {
        double total = 0;
        if (_patient.PreferredEra is { } era)
        {
            var sd = TraitPrior.PreferredEraNoiseYears;
            var low = era <= TraitPrior.FirstRecordedEra ? 0 : SimMath.NormalCdf((era - x[Bump]) / sd);
            var high = era >= TraitPrior.LastRecordedEra ? 1 : SimMath.NormalCdf((era + 10 - x[Bump]) / sd);
            if (high - low <= 0)
                return double.NegativeInfinity;
            total += Math.Log(high - low);
        }
        if (_preferred.Length > 0)
            total += Math.Log((RankingMatches(x) + 0.5) / (_options.RecordDraws + 1));
        if (_excluded.Count > 0)
        {
            var leastLiked = Enumerable.Range(0, G).Where(g => !_preferred.Contains(g))
                .OrderBy(g => x[g]).Take(_excluded.Count);
            if (!leastLiked.All(_excluded.Contains))
                return double.NegativeInfinity;
        }
        return total;
    }

    /// <summary>In how many of the fixed noise draws the affinities plus noise rank the recorded genres first, in order.</summary>
    private int RankingMatches(double[] x)
    {
        var matches = 0;
        var k = _preferred.Length;
        for (var m = 0; m < _options.RecordDraws; m++)
        {
            var noise = _recordNoise.AsSpan(m * G, G);
            var ordered = true;
            for (var r = 1; r < k && ordered; r++)
                ordered = x[_preferred[r - 1]] + noise[_preferred[r - 1]] > x[_preferred[r]] + noise[_preferred[r]];
            if (!ordered)
                continue;
            var lowest = x[_preferred[k - 1]] + noise[_preferred[k - 1]];
            var above = true;
            for (var g = 0; g < G && above; g++)
                above = Array.IndexOf(_preferred, g) >= 0 || x[g] + noise[g] < lowest;
            if (above)
                matches++;
        }
        return matches;
    }

    private PatientTraits ToTraits(double[] x) => TraitPrior.Traits(_patient.PatientId, x[..G], x[Bump],
        new TraitDraws(x[Reminiscence], x[Familiarity], x[Fatigue], x[Entrainment], new AffectPoint(x[BaselineValence], x[BaselineArousal]),
            x[PreferredArousal], x[ValenceLiking], x[EngagementBias], x[AffectNoise]),
        _spreads.EngagementNoise);

    private double[] Normalised()
    {
        var max = _logWeights.Max();
        var weights = _logWeights.Select(w => Math.Exp(w - max)).ToArray();
        var sum = weights.Sum();
        for (var i = 0; i < weights.Length; i++)
            weights[i] /= sum;
        return weights;
    }

    private static double EffectiveSampleSize(double[] normalised) => 1 / normalised.Sum(w => w * w);

    private readonly record struct PlayedStep(Track Track, int EarlierPlays, int Position, LoggedStep Observed);
}

/// <summary>
/// Equally weighted trait draws from a <see cref="PosteriorListener"/>, each with its own mood: the truth's expectation
/// averaged over them, for planning. Plays move every draw's mood as the truth would; nothing is learned.
/// </summary>
public sealed class PosteriorSample : IListenerModel
{
    private readonly ResponseSimulator _simulator;
    private readonly PatientTraits[] _traits;
    private readonly AffectPoint[] _states;
    private readonly Dictionary<string, int> _plays;

    internal PosteriorSample(ResponseSimulator simulator, PatientTraits[] traits, AffectPoint[] states, Dictionary<string, int> plays, int position)
    {
        _simulator = simulator;
        _traits = traits;
        _states = states;
        _plays = plays;
        Position = position;
    }

    public int Position { get; private set; }

    public AffectPoint Affect => new(_states.Average(s => s.Valence), _states.Average(s => s.Arousal));

    public void BeginSession()
    {
        Position = 0;
        for (var i = 0; i < _states.Length; i++)
            _states[i] = _traits[i].Baseline;
    }

    public ExpectedResponse Expected(Track track)
    {
        var share = 1.0 / _traits.Length;
        return PosteriorListener.Average(_simulator, _traits, _states, _ => share, Position, _plays.GetValueOrDefault(track.TrackId), track);
    }

    public void Advance(Track track)
    {
        var plays = _plays.GetValueOrDefault(track.TrackId);
        for (var i = 0; i < _traits.Length; i++)
            _states[i] = ResponseSimulator.NextState(_traits[i], _states[i], track, ResponseSimulator.Liking(_traits[i], track, plays));
        _plays[track.TrackId] = plays + 1;
        Position++;
    }
}
