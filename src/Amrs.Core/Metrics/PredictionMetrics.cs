namespace Amrs.Core.Metrics;

/// <summary>
/// Fidelity metrics for predicted signals (valence, arousal, engagement, rating). All take the truth first and
/// the prediction second, need spans of equal length, and return <see cref="double.NaN"/> when the metric is
/// undefined (no data, or no variation where the metric divides by it), so an empty test set never looks perfect.
/// </summary>
public static class PredictionMetrics
{
    /// <summary>Coefficient of determination, 1 - SS_res / SS_tot. Negative when worse than the mean.</summary>
    public static double RSquared(ReadOnlySpan<double> observed, ReadOnlySpan<double> predicted)
    {
        RequireSameLength(observed.Length, predicted.Length);
        if (observed.Length == 0)
            return double.NaN;
        var mean = Mean(observed);
        double residual = 0, total = 0;
        for (var i = 0; i < observed.Length; i++)
        {
            var r = observed[i] - predicted[i];
            var t = observed[i] - mean;
            residual += r * r;
            total += t * t;
        }
        return total == 0 ? double.NaN : 1 - residual / total;
    }

    public static double MeanAbsoluteError(ReadOnlySpan<double> observed, ReadOnlySpan<double> predicted)
    {
        RequireSameLength(observed.Length, predicted.Length);
        if (observed.Length == 0)
            return double.NaN;
        double sum = 0;
        for (var i = 0; i < observed.Length; i++)
            sum += Math.Abs(observed[i] - predicted[i]);
        return sum / observed.Length;
    }

    /// <summary>
    /// Area under the ROC curve from ranks (the Mann-Whitney U statistic over positives x negatives); tied
    /// scores get their average rank, so a tie between a positive and a negative counts one half.
    /// </summary>
    public static double Auc(ReadOnlySpan<bool> positive, ReadOnlySpan<double> score)
    {
        RequireSameLength(positive.Length, score.Length);
        var n = score.Length;
        var order = new int[n];
        for (var i = 0; i < n; i++)
            order[i] = i;
        var scores = score.ToArray();
        Array.Sort(scores, order);

        double positiveRankSum = 0;
        long positives = 0;
        var start = 0;
        while (start < n)
        {
            var end = start + 1;
            while (end < n && scores[end] == scores[start])
                end++;
            // Ranks start..end-1 (0-based) share the average 1-based rank.
            var averageRank = (start + 1 + end) / 2.0;
            for (var k = start; k < end; k++)
            {
                if (positive[order[k]])
                {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }
            start = end;
        }

        var negatives = n - positives;
        if (positives == 0 || negatives == 0)
            return double.NaN;
        var u = positiveRankSum - positives * (positives + 1) / 2.0;
        return u / ((double)positives * negatives);
    }

    /// <summary>Mean squared difference between a predicted probability and the 0/1 outcome.</summary>
    public static double BrierScore(ReadOnlySpan<bool> outcome, ReadOnlySpan<double> probability)
    {
        RequireSameLength(outcome.Length, probability.Length);
        if (outcome.Length == 0)
            return double.NaN;
        double sum = 0;
        for (var i = 0; i < outcome.Length; i++)
        {
            var d = probability[i] - (outcome[i] ? 1.0 : 0.0);
            sum += d * d;
        }
        return sum / outcome.Length;
    }

    /// <summary>Share of observations inside their own band [lower_i, upper_i] (ends included).</summary>
    public static double BandCoverage(ReadOnlySpan<double> observed, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper)
    {
        RequireSameLength(observed.Length, lower.Length);
        RequireSameLength(observed.Length, upper.Length);
        if (observed.Length == 0)
            return double.NaN;
        var inside = 0;
        for (var i = 0; i < observed.Length; i++)
        {
            if (observed[i] >= lower[i] && observed[i] <= upper[i])
                inside++;
        }
        return (double)inside / observed.Length;
    }

    /// <summary>Share of observations inside one fixed band [lower, upper] (ends included).</summary>
    public static double BandCoverage(ReadOnlySpan<double> observed, double lower, double upper)
    {
        if (observed.Length == 0)
            return double.NaN;
        var inside = 0;
        foreach (var x in observed)
        {
            if (x >= lower && x <= upper)
                inside++;
        }
        return (double)inside / observed.Length;
    }

    internal static double Mean(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (var v in values)
            sum += v;
        return sum / values.Length;
    }

    internal static void RequireSameLength(int a, int b)
    {
        if (a != b)
            throw new ArgumentException($"The inputs differ in length ({a} and {b}).");
    }
}
