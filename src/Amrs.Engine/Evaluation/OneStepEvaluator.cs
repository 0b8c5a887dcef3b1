using Amrs.Engine.Episodes;
using Amrs.Engine.Training;
using Amrs.Engine.WorldModels;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.Evaluation;

/// <summary>
/// One-step-ahead predictions for every observed signal of held-out histories, teacher-forced (each step is
/// predicted from the real steps before it, never from its own outcomes), with at least half the model's
/// history length of context once a patient has that much.
/// </summary>
public static class OneStepEvaluator
{
    public static IReadOnlyList<OneStepPrediction> Predict(WorldModelEnsemble ensemble, IEnumerable<EncodedHistory> heldOut,
        int batchSize = 32)
    {
        var plan = heldOut.SelectMany(h => Plan(h, ensemble.Options.MaxHistory)).ToArray();
        var predictions = new List<OneStepPrediction>();
        for (var start = 0; start < plan.Length; start += batchSize)
        {
            var batch = plan.AsSpan(start, Math.Min(batchSize, plan.Length - start)).ToArray();
            predictions.AddRange(PredictBatch(ensemble, batch));
        }
        return predictions;
    }

    public static IReadOnlyList<OneStepSummary> Summarise(IEnumerable<OneStepPrediction> predictions)
    {
        var list = predictions.ToArray();
        var summaries = new List<OneStepSummary>();
        for (var signal = 0; signal < Signals.Count; signal++)
        {
            var s = signal;
            var forSignal = list.Where(p => p.Signal == s).ToArray();
            if (forSignal.Length > 0) summaries.Add(Summary(null, s, forSignal));
            foreach (var bucket in Enum.GetValues<HistoryBucket>())
            {
                var inBucket = forSignal.Where(p => p.Bucket == bucket).ToArray();
                if (inBucket.Length > 0) summaries.Add(Summary(bucket, s, inBucket));
            }
        }
        return summaries;
    }

    /// <summary>
    /// Flat metric names for a model card, e.g. "valence.r2", "valence.coverage80.first-session",
    /// "engagement.mae.later-sessions" (undefined values such as R2 of a constant are left out).
    /// </summary>
    public static IReadOnlyDictionary<string, double> ToMetrics(IEnumerable<OneStepSummary> summaries)
    {
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var s in summaries)
        {
            var suffix = s.Bucket switch
            {
                null => "",
                HistoryBucket.FirstSession => ".first-session",
                HistoryBucket.SecondSession => ".second-session",
                _ => ".later-sessions",
            };
            var name = Signals.Names[s.Signal];
            void Add(string metric, double value)
            {
                if (double.IsFinite(value)) metrics[$"{name}.{metric}{suffix}"] = value;
            }
            Add("n", s.Count);
            Add("r2", s.RSquared);
            Add("mae", s.MeanAbsoluteError);
            Add("rmse", s.RootMeanSquaredError);
            Add("coverage80", s.Coverage80);
        }
        return metrics;
    }

    public static HistoryBucket BucketOf(int sessionOrdinal) => sessionOrdinal switch
    {
        0 => HistoryBucket.FirstSession,
        1 => HistoryBucket.SecondSession,
        _ => HistoryBucket.LaterSessions,
    };

    /// <summary>A window and the range of its steps whose predictions are kept.</summary>
    private readonly record struct PlannedWindow(HistoryWindow Window, int KeepFrom);

    // Windows of MaxHistory steps overlapping by half; each keeps only steps with at least half a window
    // of context before them (the first keeps all of its steps).
    private static IEnumerable<PlannedWindow> Plan(EncodedHistory history, int maxHistory)
    {
        if (history.Count == 0) yield break;
        var length = Math.Min(maxHistory, history.Count);
        yield return new PlannedWindow(new HistoryWindow(history, 0, length), 0);
        var half = Math.Max(1, maxHistory / 2);
        for (var keepFrom = maxHistory; keepFrom < history.Count; keepFrom += half)
        {
            var start = keepFrom - half;
            var end = Math.Min(history.Count, keepFrom + half);
            yield return new PlannedWindow(new HistoryWindow(history, start, end - start), half);
        }
    }

    private static IEnumerable<OneStepPrediction> PredictBatch(WorldModelEnsemble ensemble, PlannedWindow[] batch)
    {
        float[] combined;
        lock (ensemble.Gate)
        using (torch.inference_mode())
        using (var scope = torch.NewDisposeScope())
        using (var tensors = HistoryTensors.ForTraining(batch.Select(b => b.Window).ToArray(), ensemble.Layout))
        {
            var perMember = ensemble.Members.Select(member =>
            {
                var states = member.call(tensors.PreviousTrack, tensors.PreviousIds, tensors.Context);
                var candidates = member.EmbedTracks(tensors.Track!, tensors.TrackIds!);
                return member.Predict(states, candidates, tensors.TrackRecords);
            }).ToArray();
            combined = PredictiveDistribution.Combine(torch.stack(perMember)).ToFloatArray();
        }

        var block = Signals.Count * 3;
        for (var b = 0; b < batch.Length; b++)
        {
            var (window, keepFrom) = batch[b];
            for (var s = keepFrom; s < window.Length; s++)
            {
                var step = window.History.Steps[window.Start + s];
                var offset = (int)((s * batch.Length + b) * block);
                for (var signal = 0; signal < Signals.Count; signal++)
                {
                    if (step.Observed[signal] < 0.5f) continue;
                    var p = SignalPrediction.From(combined[offset + signal * 3], combined[offset + signal * 3 + 1],
                        combined[offset + signal * 3 + 2]);
                    yield return new OneStepPrediction(window.History.PatientId, step.SessionId, window.Start + s,
                        BucketOf(step.SessionOrdinal), signal, step.Outcomes[signal], p.Mean, p.Lower80, p.Upper80,
                        p.EpistemicSd, p.TotalSd);
                }
            }
        }
    }

    private static OneStepSummary Summary(HistoryBucket? bucket, int signal, OneStepPrediction[] items)
    {
        var n = items.Length;
        var meanObserved = items.Average(p => p.Observed);
        var ssRes = items.Sum(p => (p.Observed - p.Mean) * (p.Observed - p.Mean));
        var ssTot = items.Sum(p => (p.Observed - meanObserved) * (p.Observed - meanObserved));
        return new OneStepSummary(bucket, signal, n,
            items.Average(p => Math.Abs(p.Observed - p.Mean)),
            Math.Sqrt(ssRes / n),
            ssTot > 0 ? 1 - ssRes / ssTot : double.NaN,
            items.Count(p => p.InBand) / (double)n,
            items.Average(p => p.Upper80 - p.Lower80));
    }
}
