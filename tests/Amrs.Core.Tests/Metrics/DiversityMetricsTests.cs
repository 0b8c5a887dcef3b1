using Amrs.Core.Metrics;

namespace Amrs.Core.Tests.Metrics;

public sealed class DiversityMetricsTests
{
    [Fact]
    public void CatalogCoverage_is_distinct_items_over_catalog_size()
    {
        Assert.Equal(0.2, DiversityMetrics.CatalogCoverage(["a", "b", "a"], catalogSize: 10), 12);
    }

    [Fact]
    public void Entropy_matches_hand_computed_values()
    {
        Assert.Equal(Math.Log(2), DiversityMetrics.Entropy(["a", "a", "b", "b"]), 12);
        // -(0.75 ln 0.75 + 0.25 ln 0.25).
        Assert.Equal(0.5623351446188083, DiversityMetrics.Entropy(["a", "a", "a", "b"]), 12);
        Assert.Equal(0.0, DiversityMetrics.Entropy(["a", "a"]), 12);
        Assert.Equal(0.0, DiversityMetrics.Entropy(Array.Empty<string>()), 12);
    }

    [Fact]
    public void NormalisedEntropy_divides_by_the_log_of_the_catalog_size()
    {
        Assert.Equal(0.5, DiversityMetrics.NormalisedEntropy(["a", "a", "b", "b"], catalogSize: 4), 12);
        Assert.Equal(1.0, DiversityMetrics.NormalisedEntropy(["a", "b", "c", "d"], catalogSize: 4), 12);
    }

    [Fact]
    public void IntraListDiversity_is_the_mean_pairwise_distance()
    {
        // Pairs (0,1) (0,3) (1,3): 1, 3, 2.
        Assert.Equal(2.0, DiversityMetrics.IntraListDiversity([0.0, 1.0, 3.0], (x, y) => Math.Abs(x - y)), 12);
        Assert.Equal(0.0, DiversityMetrics.IntraListDiversity([5.0], (x, y) => Math.Abs(x - y)), 12);
    }

    [Fact]
    public void Gini_matches_hand_computed_values()
    {
        Assert.Equal(0.0, DiversityMetrics.Gini([3, 3, 3]), 12);
        Assert.Equal(0.75, DiversityMetrics.Gini([0, 4, 0, 0]), 12);
        // Sum of |xi - xj| over ordered pairs 8, divided by 2 n^2 mean = 36.
        Assert.Equal(8.0 / 36, DiversityMetrics.Gini([3, 1, 2]), 12);
        Assert.Equal(0.0, DiversityMetrics.Gini([0, 0]), 12);
    }

    [Fact]
    public void Gini_over_the_catalog_counts_unrecommended_items_as_zero_exposure()
    {
        Assert.Equal(0.75, DiversityMetrics.Gini(["a", "a", "a"], catalogSize: 4), 12);
        Assert.Equal(0.0, DiversityMetrics.Gini(["a", "b", "c", "d"], catalogSize: 4), 12);
    }
}
