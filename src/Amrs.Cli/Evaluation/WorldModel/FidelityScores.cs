using Amrs.Core.Metrics;
using Amrs.Engine.Episodes;
using Amrs.Engine.Evaluation;

namespace Amrs.Cli.Evaluation.WorldModel;

/// <summary>
/// One predictor's accuracy on one signal: R-squared and MAE for the continuous signals, AUC and Brier for the
/// rating; the share inside the 80% band for predictors that give one. Undefined values are null.
/// </summary>
public sealed record SignalScores(int Count, double? R2, double? Mae, double? Auc, double? Brier, double? Coverage80, double? BandWidth80);

/// <summary>The 80% predictive band of one observation.</summary>
public readonly record struct Band(double Lower, double Upper);

public static class FidelityScores
{
    public const string AllSteps = "all";

    /// <summary>Bucket names used in reports, in order.</summary>
    public static IReadOnlyList<string> Buckets { get; } = [AllSteps, "first-session", "second-session", "later-sessions"];

    public static string NameOf(HistoryBucket bucket) => bucket switch
    {
        HistoryBucket.FirstSession => "first-session",
        HistoryBucket.SecondSession => "second-session",
        _ => "later-sessions",
    };

    /// <summary>
    /// Scores of every predictor on every signal in every bucket: [bucket][signal name][predictor].
    /// <paramref name="predictions"/> are [step][signal]; <paramref name="bands"/> (optional per predictor) are
    /// aligned with <paramref name="observations"/>.
    /// </summary>
    public static SortedDictionary<string, SortedDictionary<string, SortedDictionary<string, SignalScores>>> Table(
        IReadOnlyList<SignalObservation> observations,
        IReadOnlyDictionary<string, double[][]> predictions,
        IReadOnlyDictionary<string, Band[]>? bands = null)
    {
        var table = new SortedDictionary<string, SortedDictionary<string, SortedDictionary<string, SignalScores>>>(StringComparer.Ordinal);
        foreach (var bucket in Buckets)
        {
            var perSignal = new SortedDictionary<string, SortedDictionary<string, SignalScores>>(StringComparer.Ordinal);
            for (var signal = 0; signal < Signals.Count; signal++)
            {
                var s = signal;
                var indices = Enumerable.Range(0, observations.Count)
                    .Where(i => observations[i].Signal == s && (bucket == AllSteps || NameOf(observations[i].Bucket) == bucket))
                    .ToArray();
                if (indices.Length == 0) continue;
                var perPredictor = new SortedDictionary<string, SignalScores>(StringComparer.Ordinal);
                foreach (var (name, values) in predictions)
                {
                    Band[]? band = bands is not null && bands.TryGetValue(name, out var b) ? b : null;
                    perPredictor[name] = Score(s, indices.Select(i => observations[i].Observed).ToArray(),
                        indices.Select(i => values[observations[i].StepNumber][s]).ToArray(),
                        band is null ? null : indices.Select(i => band[i]).ToArray());
                }
                perSignal[Signals.Names[signal]] = perPredictor;
            }
            table[bucket] = perSignal;
        }
        return table;
    }

    public static SignalScores Score(int signal, double[] observed, double[] predicted, Band[]? bands)
    {
        double? Defined(double value) => double.IsFinite(value) ? value : null;
        double? coverage = null, width = null;
        if (bands is not null && signal != Signals.Rating)
        {
            coverage = Defined(PredictionMetrics.BandCoverage(observed, bands.Select(b => b.Lower).ToArray(), bands.Select(b => b.Upper).ToArray()));
            width = bands.Length > 0 ? bands.Average(b => b.Upper - b.Lower) : null;
        }
        if (signal == Signals.Rating)
        {
            var positive = observed.Select(o => o >= 0.5).ToArray();
            return new SignalScores(observed.Length, null, null,
                Defined(PredictionMetrics.Auc(positive, predicted)), Defined(PredictionMetrics.BrierScore(positive, predicted)), null, null);
        }
        return new SignalScores(observed.Length, Defined(PredictionMetrics.RSquared(observed, predicted)),
            Defined(PredictionMetrics.MeanAbsoluteError(observed, predicted)), null, null, coverage, width);
    }
}
