namespace Amrs.Engine.Episodes;

/// <summary>
/// Running statistics of everything a patient showed before a step, fed with every token so the model need not
/// rediscover them by attention (and keeps them beyond its attention window): per signal the observed mean,
/// shrunk toward 0.5 by two pseudo-observations, and log(1 + count); per genre bucket the mean engagement
/// deviation from 0.65 on tracks of that genre, shrunk by two pseudo-observations (a patient's genre liking, the
/// strongest driver of engagement, rating and mood). Only outcomes of earlier steps enter, so no step sees its own.
/// </summary>
public sealed class HistorySummary
{
    public const int SignalBlock = 2 * Signals.Count;
    private const double Prior = 0.5;
    private const double PriorWeight = 2;
    private const double EngagementCentre = 0.65;

    private readonly double[] _sums = new double[Signals.Count];
    private readonly int[] _counts = new int[Signals.Count];
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
        _genreSums.CopyTo(copy._genreSums, 0);
        _genreCounts.CopyTo(copy._genreCounts, 0);
        return copy;
    }

    public void Add(EncodedStep step) => Add(step.Track, step.Outcomes, step.Observed);

    /// <param name="track">The track's features (<see cref="Features.TrackFeaturizer"/> layout).</param>
    public void Add(ReadOnlySpan<float> track, ReadOnlySpan<float> outcomes, ReadOnlySpan<float> observed)
    {
        for (var k = 0; k < Signals.Count; k++)
        {
            if (observed[k] < 0.5f) continue;
            _sums[k] += outcomes[k];
            _counts[k]++;
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
        for (var g = 0; g < GenreBuckets; g++)
            into[SignalBlock + g] = (float)(_genreSums[g] / (_genreCounts[g] + PriorWeight));
    }
}
