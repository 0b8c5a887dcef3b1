namespace Amrs.Core.Metrics;

/// <summary>
/// Diversity of what a policy recommends (as in the AMRS paper: catalog coverage, entropy, intra-list
/// diversity, Gini). Items are compared with the default equality of <typeparamref name="T"/> (track ids).
/// </summary>
public static class DiversityMetrics
{
    /// <summary>Distinct recommended items divided by the catalog size.</summary>
    public static double CatalogCoverage<T>(IEnumerable<T> recommended, int catalogSize)
        where T : notnull
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(catalogSize);
        var distinct = new HashSet<T>(recommended).Count;
        return (double)distinct / catalogSize;
    }

    /// <summary>How often each item occurs.</summary>
    public static Dictionary<T, int> Counts<T>(IEnumerable<T> items)
        where T : notnull
    {
        var counts = new Dictionary<T, int>();
        foreach (var item in items)
            counts[item] = counts.GetValueOrDefault(item) + 1;
        return counts;
    }

    /// <summary>Shannon entropy (natural log) of the item frequencies; 0 when empty.</summary>
    public static double Entropy<T>(IEnumerable<T> items)
        where T : notnull => Entropy(Counts(items).Values);

    /// <summary>Shannon entropy (natural log) of a frequency distribution given as counts; zeros are ignored.</summary>
    public static double Entropy(IEnumerable<int> counts)
    {
        long total = 0;
        double sumNLogN = 0;
        foreach (var c in counts)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(c);
            if (c == 0)
                continue;
            total += c;
            sumNLogN += c * Math.Log(c);
        }
        // H = -sum p ln p = ln N - (sum c ln c) / N.
        return total == 0 ? 0 : Math.Log(total) - sumNLogN / total;
    }

    /// <summary>
    /// Entropy divided by its maximum over the catalog, ln(catalogSize): 1 when every catalog item is equally
    /// frequent, 0 when one item is all there is (or the catalog has a single item).
    /// </summary>
    public static double NormalisedEntropy<T>(IEnumerable<T> items, int catalogSize)
        where T : notnull
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(catalogSize);
        return catalogSize == 1 ? 0 : Entropy(items) / Math.Log(catalogSize);
    }

    /// <summary>
    /// Intra-list diversity: mean distance over all unordered pairs of a list. A list with fewer than two items
    /// has no pairs and scores 0.
    /// </summary>
    public static double IntraListDiversity<T>(IReadOnlyList<T> list, Func<T, T, double> distance)
    {
        ArgumentNullException.ThrowIfNull(distance);
        var n = list.Count;
        if (n < 2)
            return 0;
        double sum = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
                sum += distance(list[i], list[j]);
        }
        return sum / (n * (n - 1) / 2.0);
    }

    /// <summary>
    /// Gini coefficient of exposure counts: 0 when every item is shown equally often, towards 1 when a few
    /// items take all exposure. All-zero counts score 0.
    /// </summary>
    public static double Gini(ReadOnlySpan<double> exposure)
    {
        var n = exposure.Length;
        if (n == 0)
            return 0;
        var sorted = exposure.ToArray();
        Array.Sort(sorted);
        double total = 0, weighted = 0;
        for (var i = 0; i < n; i++)
        {
            if (sorted[i] < 0)
                throw new ArgumentOutOfRangeException(nameof(exposure), "Exposure counts cannot be negative.");
            total += sorted[i];
            weighted += (i + 1) * sorted[i];
        }
        // G = 2 sum_i i x_(i) / (n sum x) - (n + 1) / n, with x sorted ascending and i from 1.
        return total == 0 ? 0 : 2 * weighted / (n * total) - (n + 1.0) / n;
    }

    /// <summary>
    /// Gini of exposure over the whole catalog: items never recommended count as zero exposure.
    /// </summary>
    public static double Gini<T>(IEnumerable<T> recommended, int catalogSize)
        where T : notnull
    {
        var counts = Counts(recommended);
        if (counts.Count > catalogSize)
            throw new ArgumentException("More distinct items were recommended than the catalog holds.", nameof(catalogSize));
        var exposure = new double[catalogSize];
        var i = 0;
        foreach (var c in counts.Values)
            exposure[i++] = c;
        return Gini(exposure);
    }
}
