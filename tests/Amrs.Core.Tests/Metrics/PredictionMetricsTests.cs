using Amrs.Core.Metrics;

namespace Amrs.Core.Tests.Metrics;

public sealed class PredictionMetricsTests
{
    [Fact]
    public void RSquared_matches_a_hand_computed_case()
    {
        // mean 2, SS_tot = 2, SS_res = 1.
        Assert.Equal(0.5, PredictionMetrics.RSquared([1, 2, 3], [1, 2, 4]), 12);
    }

    [Fact]
    public void RSquared_is_one_for_a_perfect_fit_and_negative_when_worse_than_the_mean()
    {
        Assert.Equal(1.0, PredictionMetrics.RSquared([0.2, 0.4, 0.9], [0.2, 0.4, 0.9]), 12);
        // SS_tot = 2, SS_res = 4 + 0 + 4 = 8.
        Assert.Equal(-3.0, PredictionMetrics.RSquared([1, 2, 3], [3, 2, 1]), 12);
    }

    [Fact]
    public void RSquared_is_undefined_without_variation_or_data()
    {
        Assert.True(double.IsNaN(PredictionMetrics.RSquared([0.5, 0.5], [0.4, 0.6])));
        Assert.True(double.IsNaN(PredictionMetrics.RSquared([], [])));
    }

    [Fact]
    public void Inputs_of_different_length_are_refused()
    {
        Assert.Throws<ArgumentException>(() => PredictionMetrics.RSquared([1, 2], [1]));
        Assert.Throws<ArgumentException>(() => PredictionMetrics.Auc([true], [0.1, 0.2]));
    }

    [Fact]
    public void MeanAbsoluteError_matches_a_hand_computed_case()
    {
        Assert.Equal(1.0 / 3, PredictionMetrics.MeanAbsoluteError([1, 2, 3], [1, 2, 4]), 12);
        Assert.Equal(0.25, PredictionMetrics.MeanAbsoluteError([0, 1], [0.5, 1]), 12);
    }

    [Fact]
    public void Auc_counts_ties_between_classes_as_one_half()
    {
        // Positives 0.9 and 0.4, negatives 0.1 and 0.4: pairs 1 + 1 + 1 + 0.5 = 3.5 of 4.
        Assert.Equal(0.875, PredictionMetrics.Auc([true, false, true, false], [0.9, 0.1, 0.4, 0.4]), 12);
    }

    [Fact]
    public void Auc_is_one_when_ranked_perfectly_zero_when_reversed_and_one_half_when_all_tied()
    {
        Assert.Equal(1.0, PredictionMetrics.Auc([false, false, true, true], [0.1, 0.2, 0.3, 0.4]), 12);
        Assert.Equal(0.0, PredictionMetrics.Auc([true, true, false, false], [0.1, 0.2, 0.3, 0.4]), 12);
        Assert.Equal(0.5, PredictionMetrics.Auc([true, false, true, false], [0.7, 0.7, 0.7, 0.7]), 12);
    }

    [Fact]
    public void Auc_is_undefined_with_a_single_class()
    {
        Assert.True(double.IsNaN(PredictionMetrics.Auc([true, true], [0.1, 0.9])));
        Assert.True(double.IsNaN(PredictionMetrics.Auc([], [])));
    }

    [Fact]
    public void BrierScore_matches_a_hand_computed_case()
    {
        // (0.2^2 + 0.3^2) / 2.
        Assert.Equal(0.065, PredictionMetrics.BrierScore([true, false], [0.8, 0.3]), 12);
    }

    [Fact]
    public void BandCoverage_counts_observations_inside_closed_bands()
    {
        Assert.Equal(0.5, PredictionMetrics.BandCoverage([0.1, 0.5, 0.9, 0.3], 0.2, 0.5), 12);
        Assert.Equal(2.0 / 3, PredictionMetrics.BandCoverage([0.1, 0.5, 0.9], [0.0, 0.5, 0.0], [0.2, 0.6, 0.8]), 12);
    }
}
