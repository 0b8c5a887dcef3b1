using Amrs.Core.Affect;
using Amrs.Core.Metrics;

namespace Amrs.Core.Tests.Metrics;

public sealed class TargetAttainmentTests
{
    [Fact]
    public void Attainment_matches_a_hand_computed_session()
    {
        var target = new AffectPoint(0.5, 0.5);
        // Distances 0, 0.1 and 0.5 (a 3-4-5 triangle scaled by 0.1).
        AffectPoint[] after = [new(0.5, 0.5), new(0.5, 0.6), new(0.8, 0.9)];

        var result = TargetAttainment.Compute(after, target);

        Assert.Equal(0.2, result.MeanDistance, 12);
        Assert.Equal(1 - 0.2 / Math.Sqrt(2), result.Attainment, 12);
        Assert.Equal(0.5, result.FinalDistance, 12);
        Assert.Equal(2.0 / 3, result.ShareWithinTolerance, 12);
    }

    [Fact]
    public void Attainment_is_one_on_target_and_zero_at_the_far_corner()
    {
        Assert.Equal(1.0, TargetAttainment.Compute([new(0.3, 0.3)], new(0.3, 0.3)).Attainment, 12);
        Assert.Equal(0.0, TargetAttainment.Compute([new(0, 0)], new(1, 1)).Attainment, 12);
    }

    [Fact]
    public void An_empty_session_is_refused()
    {
        Assert.Throws<ArgumentException>(() => TargetAttainment.Compute([], new(0.5, 0.5)));
    }
}
