using Amrs.Core.Affect;

namespace Amrs.Core.Utility;

/// <summary>What a world model predicts for one track in context (all in 0..1).</summary>
public readonly record struct PredictedSignals(double Engagement, double LikeProbability, double Valence, double Arousal)
{
    public AffectPoint Affect => new(Valence, Arousal);
}

/// <summary>
/// The per-patient, multi-objective utility of one track at one step: the weighted mean of
/// valence closeness (1 - |v - v*|), arousal closeness (1 - |a - a*|), engagement, like probability, novelty
/// against the list so far, and familiarity. Every term lies in 0..1, so the utility does too. The same function
/// scores DPO preference pairs, the greedy baseline and previews.
/// </summary>
public static class UtilityFunction
{
    public static double Score(UtilityWeights weights, PredictedSignals predicted, AffectPoint stepTarget, double novelty, double familiarity)
    {
        var sum = weights.Sum;
        if (sum <= 0) throw new ArgumentException("At least one weight must be above 0.", nameof(weights));
        var value =
            weights.Valence * (1 - Math.Abs(predicted.Valence - stepTarget.Valence)) +
            weights.Arousal * (1 - Math.Abs(predicted.Arousal - stepTarget.Arousal)) +
            weights.Engagement * predicted.Engagement +
            weights.Rating * predicted.LikeProbability +
            weights.Diversity * novelty +
            weights.Familiarity * familiarity;
        return value / sum;
    }

    /// <summary>The paper's like-for-like metric: mean predicted valence and arousal under weights 0.5/0.5.</summary>
    public static double PaperMetric(IEnumerable<PredictedSignals> steps)
    {
        var list = steps.ToList();
        return list.Count == 0 ? double.NaN : list.Average(s => 0.5 * s.Valence + 0.5 * s.Arousal);
    }
}
