namespace Amrs.Engine.Episodes;

/// <summary>
/// Running statistics of everything a patient showed before a step, fed with every token so the model need not
/// rediscover them by attention (and keeps them beyond its attention window): per signal the observed mean,
/// shrunk toward 0.5 by two pseudo-observations, and log(1 + count); per genre bucket the mean engagement
/// deviation on tracks of that genre and the mean rating (minus 0.5) on them, each shrunk by two
/// pseudo-observations (a patient's genre liking, the strongest driver of engagement, rating and mood). A deviation
/// is taken from the patient's own level so far and corrected for the position in the session (engagement falls
/// about <see cref="FatiguePerTrack"/> per track), so a patient who listens to everything longer, or heard a genre
/// late in sessions, does not look as if they liked it more or less (measured on the default world: the rating AUC
/// of these genre estimates alone rose from 0.63 to 0.71 with both changes and the rating block). For valence and
/// arousal also the mean observed at session openings (the first two tracks, when the mood is still near the
/// patient's baseline) with log(1 + count), and the
/// mean of the tracks' own valence and arousal where affect was observed (music pulls mood toward its own, so the
/// model can separate the patient's level from the music's), overall and at openings. Finally how engagement
/// goes with the music's valence, arousal and year (mean of (engagement - 0.65) times the centred descriptor):
/// a patient's taste beyond genre, with the squared centred arousal and year as well (liking peaks at a preferred
/// arousal and around the music of the patient's youth, so a straight line cannot hold it).
/// <para>
/// Then where the mood probably is now, within the current session: music pulls the listener's mood toward its own,
/// so exponential moving averages of the session's tracks' valence and arousal at six rates (0.05 to 0.5), each
/// starting at the patient's estimated opening mood; the affect last observed in this session, weighted by how recent
/// it is; and, over all sessions, how the observed mood stood against each rate's path (mean residual per axis: the
/// patient's own level and how music they like lifts it) and how closely each path followed it (root mean square:
/// which rate of following the music fits this patient). For each rate also the mood's path from a baseline fitted by
/// least squares: from a session's start the path is affine in the patient's baseline b (s = alpha b + beta, the mood
/// relaxing toward b by <see cref="PathDrift"/> per track), so every observed affect, weighted by how much of the
/// baseline is still in it, says where b lies; the fitted baseline and where its path stands now (measured on the
/// held-out patients: the best such path alone predicts arousal at R-squared 0.555 where the best path from the
/// opening mood reaches 0.503). Finally the session's accumulated engagement deviation at each rate (music the
/// patient likes lifts their mood as it goes).
/// The summary is written for the step it comes before (<see cref="WriteTo"/>): for a session's first track the session
/// block stands where the new session starts (the moods at the patient's estimated opening mood and baseline, nothing
/// observed yet, no lift), not where the last session ended, as the listener's mood starts over from their baseline
/// (measured on the default world, 3 members, from the third session on: valence R-squared 0.516 and arousal 0.582,
/// against 0.509 and 0.578 for the 5 members shipped before; best validation losses 1.813-1.817 against 1.825-1.835).
/// Without positions in the attention, the encoder cannot tell this session's tokens from earlier sessions' at the
/// same position, so it cannot compute these itself (measured: valence and arousal R-squared rose with each addition).
/// </para>
/// <para>
/// Beside the written summary it keeps the patient's <see cref="TrackRecord"/> of every track played so far, which a
/// prediction reads for its own candidate (<see cref="WriteTrackRecord"/>): it belongs to a patient and a track
/// together, so it cannot be written into the token.
/// </para>
/// Only outcomes of earlier steps enter, so no step sees its own.
/// </summary>
public sealed class HistorySummary
{
    public const int SignalBlock = 2 * Signals.Count + 8 + TasteTerms + SessionBlock;
    /// <summary>Where the taste beyond genre starts in the written summary: engagement deviation times each centred descriptor.</summary>
    public const int TasteOffset = 2 * Signals.Count + 8;
    /// <summary>How many taste terms: valence, arousal, year, squared arousal, squared year (<see cref="TasteDescriptors"/>).</summary>
    public const int TasteTerms = 5;
    /// <summary>
    /// Where the session block starts in the written summary: the mood estimates (valence, arousal per rate), the last
    /// observed affect (recency, valence - 0.5, arousal - 0.5 weighted by it), the mean residuals (valence, arousal per
    /// rate), the residuals' root mean square per rate.
    /// </summary>
    public const int SessionMoodOffset = 2 * Signals.Count + 8 + TasteTerms;
    /// <summary>How many floats the session block holds, from <see cref="SessionMoodOffset"/>.</summary>
    public const int SessionBlock = 2 * SessionRates + 3 + 2 * SessionRates + SessionRates + PathBlock;
    /// <summary>Per rate: the mood on the fitted-baseline path (valence, arousal), the fitted baseline, the session's lift.</summary>
    private const int PathBlock = 2 * SessionRates + 2 * SessionRates + SessionRates;
    /// <summary>How far the mood relaxes toward the patient's baseline per track on the fitted-baseline paths.</summary>
    public const double PathDrift = 0.1;
    private const int SessionRates = 6;
    private static readonly double[] Rates = [0.05, 0.1, 0.15, 0.25, 0.35, 0.5];
    private const double RecencySteps = 3;
    private const double ResidualVariancePrior = 0.01;
    private const int OpeningPositions = 2;
    private const double Prior = 0.5;
    private const double PriorWeight = 2;
    private const double EngagementCentre = 0.65;
    /// <summary>Pseudo-observations at <see cref="EngagementCentre"/> behind the patient's own engagement level.</summary>
    private const double LevelPriorWeight = 5;
    /// <summary>How much engagement falls per track already played in a session, on average in the logged data.</summary>
    public const double FatiguePerTrack = 0.02;

    private readonly double[] _sums = new double[Signals.Count];
    private readonly int[] _counts = new int[Signals.Count];
    private readonly double[] _openingSums = new double[2];
    private readonly int[] _openingCounts = new int[2];
    private readonly double[] _trackAffectSums = new double[2];
    private readonly double[] _openingTrackSums = new double[2];
    private readonly double[] _tasteSums = new double[TasteTerms];
    private readonly double[] _sessionMood = new double[2 * SessionRates];
    private readonly double[] _lastObserved = new double[2];
    private int _stepsSinceObserved = -1;
    private readonly double[] _residualSums = new double[2 * SessionRates];
    private readonly double[] _squaredResidualSums = new double[SessionRates];
    private int _residualCount;
    private readonly double[] _pathAlpha = new double[SessionRates];
    private readonly double[] _pathBeta = new double[2 * SessionRates];
    private readonly double[] _baselineNumerators = new double[2 * SessionRates];
    private readonly double[] _baselineDenominators = new double[SessionRates];
    private readonly double[] _sessionLift = new double[SessionRates];
    private double _levelSum;
    private int _levelCount;
    private readonly double[] _genreSums;
    private readonly int[] _genreCounts;
    private readonly double[] _genreRatingSums;
    private readonly int[] _genreRatingCounts;
    private Dictionary<string, TrackRecord> _tracks = new(StringComparer.Ordinal);

    public HistorySummary(int genreBuckets)
    {
        GenreBuckets = genreBuckets;
        _genreSums = new double[genreBuckets];
        _genreCounts = new int[genreBuckets];
        _genreRatingSums = new double[genreBuckets];
        _genreRatingCounts = new int[genreBuckets];
    }

    public int GenreBuckets { get; }

    public int Size => SizeFor(GenreBuckets);

    /// <summary>The signal block, then per genre bucket the engagement deviation, then per bucket the rating.</summary>
    public static int SizeFor(int genreBuckets) => SignalBlock + 2 * genreBuckets;

    /// <summary>The genre buckets a summary of <paramref name="size"/> floats has (0 for no summary).</summary>
    public static int GenreBucketsFor(int size) => size == 0 ? 0 : (size - SignalBlock) / 2;

    public static HistorySummary Of(int size, IEnumerable<EncodedStep> steps)
    {
        var summary = new HistorySummary(GenreBucketsFor(size));
        foreach (var step in steps) summary.Add(step);
        return summary;
    }

    /// <summary>An independent copy (rollouts extend one per trajectory).</summary>
    public HistorySummary Clone()
    {
        var copy = new HistorySummary(GenreBuckets);
        var from = Accumulators();
        var to = copy.Accumulators();
        for (var k = 0; k < from.Length; k++) Array.Copy(from[k], to[k], from[k].Length);
        copy._stepsSinceObserved = _stepsSinceObserved;
        copy._residualCount = _residualCount;
        copy._levelSum = _levelSum;
        copy._levelCount = _levelCount;
        copy._tracks = new Dictionary<string, TrackRecord>(_tracks, StringComparer.Ordinal);
        return copy;
    }

    /// <summary>Every array the summary accumulates into, in one list so that <see cref="Clone"/> cannot miss one.</summary>
    private Array[] Accumulators() =>
    [
        _sums, _counts, _openingSums, _openingCounts, _trackAffectSums, _openingTrackSums, _tasteSums,
        _sessionMood, _lastObserved, _residualSums, _squaredResidualSums,
        _pathAlpha, _pathBeta, _baselineNumerators, _baselineDenominators, _sessionLift,
        _genreSums, _genreCounts, _genreRatingSums, _genreRatingCounts,
    ];

    public void Add(EncodedStep step) => Add(step.TrackId, step.Track, step.Outcomes, step.Observed, step.Context.PositionInSession);

    /// <param name="trackId">The track's id, for the patient's <see cref="TrackRecord"/> of it.</param>
    /// <param name="track">The track's features (<see cref="Features.TrackFeaturizer"/> layout: valence, arousal first).</param>
    public void Add(string trackId, ReadOnlySpan<float> track, ReadOnlySpan<float> outcomes, ReadOnlySpan<float> observed, int positionInSession)
    {
        AddToSession(track, outcomes, observed, positionInSession);
        for (var k = 0; k < Signals.Count; k++)
        {
            if (observed[k] < 0.5f) continue;
            _sums[k] += outcomes[k];
            _counts[k]++;
        }
        for (var a = 0; a < 2; a++)
        {
            var signal = a == 0 ? Signals.Valence : Signals.Arousal;
            if (observed[signal] < 0.5f) continue;
            _trackAffectSums[a] += track[a];
            if (positionInSession >= OpeningPositions) continue;
            _openingSums[a] += outcomes[signal];
            _openingTrackSums[a] += track[a];
            _openingCounts[a]++;
        }
        var engaged = observed[Signals.Engagement] >= 0.5f;
        var deviation = 0.0;
        if (engaged)
        {
            var levelled = outcomes[Signals.Engagement] + FatiguePerTrack * positionInSession;
            deviation = levelled - EngagementLevel();
            _levelSum += levelled;
            _levelCount++;
            Span<float> descriptors = stackalloc float[TasteTerms];
            TasteDescriptors(track, descriptors);
            for (var k = 0; k < TasteTerms; k++) _tasteSums[k] += deviation * descriptors[k];
            for (var r = 0; r < SessionRates; r++) _sessionLift[r] = (1 - Rates[r]) * _sessionLift[r] + deviation;
        }
        var rated = observed[Signals.Rating] >= 0.5f;
        _tracks[trackId] = _tracks.GetValueOrDefault(trackId).With(engaged ? deviation : null, rated ? outcomes[Signals.Rating] : null);
        if (GenreBuckets == 0) return;
        var genres = track.Slice(Features.TrackFeaturizer.GenreOffset, GenreBuckets);
        for (var g = 0; g < GenreBuckets; g++)
        {
            if (genres[g] < 0.5f) continue;
            if (engaged)
            {
                _genreSums[g] += deviation;
                _genreCounts[g]++;
            }
            if (rated)
            {
                _genreRatingSums[g] += outcomes[Signals.Rating] - Prior;
                _genreRatingCounts[g]++;
            }
        }
    }

    /// <summary>The patient's record of a track so far (<see cref="TrackRecord.Size"/> floats; zeros for a track never played).</summary>
    public void WriteTrackRecord(string trackId, Span<float> into) => _tracks.GetValueOrDefault(trackId).WriteTo(into);

    /// <summary>Every track played so far with the patient's record of it.</summary>
    public IReadOnlyDictionary<string, TrackRecord> TrackRecords => _tracks;

    /// <summary>
    /// A track's descriptors in the order of the taste terms, centred as the summary centres them: valence - 0.5,
    /// arousal - 0.5, the standardised year (0 when unknown), 4 (arousal - 0.5)^2, year^2 (track features in the
    /// <see cref="Features.TrackFeaturizer"/> layout).
    /// </summary>
    public static void TasteDescriptors(ReadOnlySpan<float> track, Span<float> into)
    {
        var year = track[Features.TrackFeaturizer.YearOffset];
        into[0] = track[0] - 0.5f;
        into[1] = track[1] - 0.5f;
        into[2] = year;
        into[3] = 4 * (track[1] - 0.5f) * (track[1] - 0.5f);
        into[4] = year * year;
    }

    /// <summary>The patient's engagement so far, corrected for position and shrunk toward <see cref="EngagementCentre"/>.</summary>
    private double EngagementLevel() => (_levelSum + EngagementCentre * LevelPriorWeight) / (_levelCount + LevelPriorWeight);

    /// <summary>
    /// Starts the session's mood over, as the listener's mood starts over from their baseline: the moods at the opening
    /// mood, the fitted-baseline paths at the baseline, nothing observed in the session yet, no lift.
    /// </summary>
    private void StartSession()
    {
        for (var a = 0; a < 2; a++)
        {
            var opening = OpeningMood(a);
            for (var r = 0; r < SessionRates; r++) _sessionMood[2 * r + a] = opening;
        }
        _stepsSinceObserved = -1;
        Array.Fill(_pathAlpha, 1.0);
        Array.Clear(_pathBeta);
        Array.Clear(_sessionLift);
    }

    /// <summary>Moves the session's mood estimates with the track (starting over at a session's first step) and notes an observed affect.</summary>
    private void AddToSession(ReadOnlySpan<float> track, ReadOnlySpan<float> outcomes, ReadOnlySpan<float> observed, int positionInSession)
    {
        if (positionInSession == 0) StartSession();
        for (var r = 0; r < SessionRates; r++)
        {
            var keep = 1 - Rates[r] - PathDrift;
            _pathAlpha[r] = keep * _pathAlpha[r] + PathDrift;
            for (var a = 0; a < 2; a++)
            {
                _sessionMood[2 * r + a] += Rates[r] * (track[a] - _sessionMood[2 * r + a]);
                _pathBeta[2 * r + a] = keep * _pathBeta[2 * r + a] + Rates[r] * track[a];
            }
        }
        if (_stepsSinceObserved >= 0) _stepsSinceObserved++;
        if (observed[Signals.Valence] >= 0.5f && observed[Signals.Arousal] >= 0.5f)
        {
            _lastObserved[0] = outcomes[Signals.Valence];
            _lastObserved[1] = outcomes[Signals.Arousal];
            _stepsSinceObserved = 0;
            // How the observed mood stands against the music's path (the patient's own level and liking) and which
            // rate of following the music fits this patient best.
            for (var r = 0; r < SessionRates; r++)
            {
                for (var a = 0; a < 2; a++)
                {
                    var residual = _lastObserved[a] - _sessionMood[2 * r + a];
                    _residualSums[2 * r + a] += residual;
                    _squaredResidualSums[r] += residual * residual / 2;
                    _baselineNumerators[2 * r + a] += _pathAlpha[r] * (_lastObserved[a] - _pathBeta[2 * r + a]);
                }
                _baselineDenominators[r] += _pathAlpha[r] * _pathAlpha[r];
            }
            _residualCount++;
        }
    }

    /// <summary>The baseline fitted along the paths of rate <paramref name="r"/>, shrunk toward 0.5.</summary>
    private double FittedBaseline(int r, int axis) =>
        (_baselineNumerators[2 * r + axis] + Prior * PriorWeight) / (_baselineDenominators[r] + PriorWeight);

    /// <summary>The patient's mean affect at session openings, shrunk toward 0.5 (0.5 before any was observed).</summary>
    private double OpeningMood(int axis) => (_openingSums[axis] + Prior * PriorWeight) / (_openingCounts[axis] + PriorWeight);

    /// <summary>Writes the summary (<see cref="Size"/> floats) for the step <paramref name="next"/>, which comes after every step added.</summary>
    /// <param name="next">At a session's first track the session block is written as the session starts over
    /// (<see cref="StartSession"/>), not as the last session ended.</param>
    public void WriteTo(Span<float> into, StepContext next)
    {
        if (next.PositionInSession != 0)
        {
            Write(into);
            return;
        }
        var opened = Clone();
        opened.StartSession();
        opened.Write(into);
    }

    private void Write(Span<float> into)
    {
        for (var k = 0; k < Signals.Count; k++)
        {
            into[k] = (float)((_sums[k] + Prior * PriorWeight) / (_counts[k] + PriorWeight));
            into[Signals.Count + k] = (float)Math.Log(1 + _counts[k]);
        }
        var at = 2 * Signals.Count;
        for (var a = 0; a < 2; a++)
        {
            var signal = a == 0 ? Signals.Valence : Signals.Arousal;
            into[at + a] = (float)OpeningMood(a);
            into[at + 2 + a] = (float)Math.Log(1 + _openingCounts[a]);
            into[at + 4 + a] = (float)((_trackAffectSums[a] + Prior * PriorWeight) / (_counts[signal] + PriorWeight));
            into[at + 6 + a] = (float)((_openingTrackSums[a] + Prior * PriorWeight) / (_openingCounts[a] + PriorWeight));
        }
        for (var k = 0; k < TasteTerms; k++)
            into[at + 8 + k] = (float)(_tasteSums[k] / (_counts[Signals.Engagement] + PriorWeight));
        const int session = SessionMoodOffset;
        for (var k = 0; k < _sessionMood.Length; k++) into[session + k] = (float)_sessionMood[k];
        var recency = _stepsSinceObserved < 0 ? 0 : Math.Exp(-_stepsSinceObserved / RecencySteps);
        into[session + _sessionMood.Length] = (float)recency;
        into[session + _sessionMood.Length + 1] = (float)(recency * (_lastObserved[0] - Prior));
        into[session + _sessionMood.Length + 2] = (float)(recency * (_lastObserved[1] - Prior));
        var residuals = session + _sessionMood.Length + 3;
        for (var k = 0; k < _residualSums.Length; k++) into[residuals + k] = (float)(_residualSums[k] / (_residualCount + PriorWeight));
        for (var r = 0; r < SessionRates; r++)
            into[residuals + _residualSums.Length + r] = (float)Math.Sqrt((_squaredResidualSums[r] + ResidualVariancePrior * PriorWeight) / (_residualCount + PriorWeight));
        var paths = residuals + _residualSums.Length + SessionRates;
        for (var r = 0; r < SessionRates; r++)
        {
            for (var a = 0; a < 2; a++)
            {
                var baseline = FittedBaseline(r, a);
                into[paths + 2 * r + a] = (float)(_pathAlpha[r] * baseline + _pathBeta[2 * r + a]);
                into[paths + 2 * SessionRates + 2 * r + a] = (float)baseline;
            }
            into[paths + 4 * SessionRates + r] = (float)_sessionLift[r];
        }
        for (var g = 0; g < GenreBuckets; g++)
        {
            into[SignalBlock + g] = (float)(_genreSums[g] / (_genreCounts[g] + PriorWeight));
            into[SignalBlock + GenreBuckets + g] = (float)(_genreRatingSums[g] / (_genreRatingCounts[g] + PriorWeight));
        }
    }
}
