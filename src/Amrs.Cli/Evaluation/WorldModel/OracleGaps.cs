using Amrs.Engine.Episodes;
using Amrs.Engine.Evaluation;

namespace Amrs.Cli.Evaluation.WorldModel;

/// <summary>
/// How far a predictor's expectations lie from the oracle's, from the third session on: the mean squared difference over
/// the observed steps, split into what all of a patient's steps share (the patient misjudged: baseline, taste), what a
/// session's steps share beyond that (the session misjudged: where the music took the mood), and what is left within the
/// session (step by step). The three parts add up to the total.
/// </summary>
public sealed record OracleGap(int Count, double Total, double Patient, double Session, double WithinSession);

public static class OracleGaps
{
    /// <summary>[signal][predictor] for every predictor but the oracle itself.</summary>
    public static SortedDictionary<string, SortedDictionary<string, OracleGap>> Of(IReadOnlyList<HeldOutStep> steps,
        IReadOnlyList<SignalObservation> observations, IReadOnlyDictionary<string, double[][]> predictions)
    {
        var oracle = predictions[ReferencePredictors.Oracle];
        var result = new SortedDictionary<string, SortedDictionary<string, OracleGap>>(StringComparer.Ordinal);
        for (var signal = 0; signal < Signals.Count; signal++)
        {
            var later = observations.Where(o => o.Signal == signal && o.Bucket == HistoryBucket.LaterSessions).Select(o => o.StepNumber).ToArray();
            if (later.Length == 0) continue;
            var bySignal = new SortedDictionary<string, OracleGap>(StringComparer.Ordinal);
            foreach (var (name, _) in ReferencePredictors.All)
            {
                if (name == ReferencePredictors.Oracle) continue;
                var differences = later
                    .Select(i => (steps[i].Patient.PatientId, steps[i].Session.SessionId, predictions[name][i][signal] - oracle[i][signal]))
                    .ToArray();
                bySignal[name] = Split(differences);
            }
            result[Signals.Names[signal]] = bySignal;
        }
        return result;
    }

    /// <summary>
    /// The mean square of the differences, and its parts: the patients' mean differences squared (weighted by their steps),
    /// the sessions' beyond their patients', and what is left.
    /// </summary>
    public static OracleGap Split(IReadOnlyList<(string Patient, string Session, double Difference)> differences)
    {
        double SharedBy<TKey>(Func<(string Patient, string Session, double Difference), TKey> group) =>
            differences.GroupBy(group).Sum(g => g.Count() * Math.Pow(g.Average(d => d.Difference), 2)) / differences.Count;
        var total = differences.Average(d => d.Difference * d.Difference);
        var patient = SharedBy(d => d.Patient);
        var session = SharedBy(d => (d.Patient, d.Session));
        return new OracleGap(differences.Count, total, patient, session - patient, total - session);
    }
}
