namespace Amrs.Engine.Episodes;

/// <summary>
/// Running statistics of everything a patient showed before a step, fed with every token so the model need not
/// rediscover them by attention (and keeps them beyond its attention window): per signal the observed mean,
/// shrunk toward 0.5 by two pseudo-observations, and log(1 + count); per genre bucket the mean engagement
/// deviation from 0.65 on tracks of that genre, shrunk by two pseudo-observations (a patient's genre liking, the
/// strongest driver of engagement, rating and mood). For valence and arousal also the mean observed at session
/// openings (the first two tracks, when the mood is still near the patient's baseline) with log(1 + count), and the
/// mean of the tracks' own valence and arousal where affect was observed (music pulls mood toward its own, so the
/// model can separate the patient's level from the music's), overall and at openings. Finally how engagement
/// goes with the music's valence, arousal and year (mean of (engagement - 0.65) times the centred descriptor):
/// a patient's taste beyond genre. Only outcomes of earlier steps enter, so no step sees its own.
/// </summary>
public sealed class HistorySummary
{
    public const int SignalBlock = 2 * Signals.Count + 8 + 3;
    private const int OpeningPositions = 2;
    private const double Prior = 0.5;
    private const double PriorWeight = 2;
    private const double EngagementCentre = 0.65;

    private readonly double[] _sums = new double[Signals.Count];
    private readonly int[] _counts = new int[Signals.Count];
    private readonly double[] _openingSums = new double[2];
    private readonly int[] _openingCounts = new int[2];
    private readonly double[] _trackAffectSums = new double[2];
    private readonly double[] _openingTrackSums = new double[2];
    private readonly double[] _tasteSums = new double[3];
    private readonly double[] _genreSums;
    private readonly int[] _genreCounts;

    public HistorySummary(int genreBuckets)
    {
        GenreBuckets = genreBuckets;
        _genreSums = new double[genreBuckets];
        _genreCounts = new int[genreBuckets];
    }

    public int GenreBuckets { get; }

    public int Size => SizeFor(GenreBuckets);

    public static int SizeFor(int genreBuckets) => SignalBlock + genreBuckets;

    /// <summary>The genre buckets a summary of <paramref name="size"/> floats has (0 for no summary).</summary>
    public static int GenreBucketsFor(int size) => size == 0 ? 0 : size - SignalBlock;

    public static HistorySummary Of(int size, IEnumerable<EncodedStep> steps)
    {
        var summary = new HistorySummary(GenreBucketsFor(size));
        foreach (var step in steps) summary.Add(step);
        return summary;
    }

    public HistorySummary Clone()
    {
        var copy = new HistorySummary(GenreBuckets);
        _sums.CopyTo(copy._sums, 0);
        _counts.CopyTo(copy._counts, 0);
        _openingSums.CopyTo(copy._openingSums, 0);
        _openingCounts.CopyTo(copy._openingCounts, 0);
        _trackAffectSums.CopyTo(copy._trackAffectSums, 0);
        _openingTrackSums.CopyTo(copy._openingTrackSums, 0);
        _tasteSums.CopyTo(copy._tasteSums, 0);
        _genreSums.CopyTo(copy._genreSums, 0);
        _genreCounts.CopyTo(copy._genreCounts, 0);
        return copy;
    }

    public void Add(EncodedStep step) => Add(step.Track, step.Outcomes, step.Observed, step.Context.PositionInSession);

    /// <param name="track">The track's features (<see cref="Features.TrackFeaturizer"/> layout: valence, arousal first).</param>
    public void Add(ReadOnlySpan<float> track, ReadOnlySpan<float> outcomes, ReadOnlySpan<float> observed, int positionInSession)
    {
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
        if (observed[Signals.Engagement] >= 0.5f)
        {
            var deviation = outcomes[Signals.Engagement] - EngagementCentre;
            _tasteSums[0] += deviation * (track[0] - 0.5);
            _tasteSums[1] += deviation * (track[1] - 0.5);
            // Year is standardised in the track features (0 when unknown).
            _tasteSums[2] += deviation * track[Features.TrackFeaturizer.YearOffset];
        }
        if (GenreBuckets == 0 || observed[Signals.Engagement] < 0.5f) return;
        var genres = track.Slice(Features.TrackFeaturizer.GenreOffset, GenreBuckets);
        for (var g = 0; g < GenreBuckets; g++)
        {
            if (genres[g] < 0.5f) continue;
            _genreSums[g] += outcomes[Signals.Engagement] - EngagementCentre;
            _genreCounts[g]++;
        }
    }

    public void WriteTo(Span<float> into)
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
            into[at + a] = (float)((_openingSums[a] + Prior * PriorWeight) / (_openingCounts[a] + PriorWeight));
            into[at + 2 + a] = (float)Math.Log(1 + _openingCounts[a]);
            into[at + 4 + a] = (float)((_trackAffectSums[a] + Prior * PriorWeight) / (_counts[signal] + PriorWeight));
            into[at + 6 + a] = (float)((_openingTrackSums[a] + Prior * PriorWeight) / (_openingCounts[a] + PriorWeight));
        }
        for (var k = 0; k < 3; k++)
            into[at + 8 + k] = (float)(_tasteSums[k] / (_counts[Signals.Engagement] + PriorWeight));
        for (var g = 0; g < GenreBuckets; g++)
            into[SignalBlock + g] = (float)(_genreSums[g] / (_genreCounts[g] + PriorWeight));
    }
}
