namespace Amrs.Engine.WorldModels;

internal static class Quantiles
{
    /// <summary>The q-quantile (0..1) with linear interpolation between order statistics.</summary>
    public static double Of(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("No values to take a quantile of.", nameof(values));
        return OfSorted(sorted, q);
    }

    public static double OfSorted(IReadOnlyList<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
