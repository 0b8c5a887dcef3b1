using Amrs.Core.Splits;

namespace Amrs.Core.Tests.Splits;

public sealed class ColdStartSplitterTests
{
    private static readonly string[] _ids = Enumerable.Range(1, 1000).Select(i => $"P-{i:D6}").ToArray();

    [Fact]
    public void Parts_are_80_10_10_disjoint_and_cover_every_patient()
    {
        var split = ColdStartSplitter.Split(_ids, seed: 7);

        Assert.Equal(800, split.Train.Count);
        Assert.Equal(100, split.Validation.Count);
        Assert.Equal(100, split.Test.Count);
        var all = split.Train.Concat(split.Validation).Concat(split.Test).ToArray();
        Assert.Equal(all.Length, all.Distinct().Count());
        Assert.Equal(_ids.Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_whatever_the_input_order()
    {
        var a = ColdStartSplitter.Split(_ids, seed: 3);
        var b = ColdStartSplitter.Split(_ids.Reverse(), seed: 3);

        Assert.Equal(a.Train, b.Train);
        Assert.Equal(a.Validation, b.Validation);
        Assert.Equal(a.Test, b.Test);
    }

    [Fact]
    public void Monte_Carlo_splits_differ_from_each_other_and_each_is_reproducible()
    {
        var splits = ColdStartSplitter.MonteCarlo(_ids, splits: 10, seed: 100);

        Assert.Equal(10, splits.Count);
        Assert.Equal(10, splits.Select(s => string.Join(",", s.Test)).Distinct().Count());
        Assert.Equal(splits[4].Test, ColdStartSplitter.Split(_ids, seed: 104).Test);
    }

    [Fact]
    public void Small_cohorts_still_put_everyone_somewhere()
    {
        var split = ColdStartSplitter.Split(["a", "b", "c"], seed: 1);

        Assert.Equal(3, split.Train.Count + split.Validation.Count + split.Test.Count);
        Assert.Equal(SplitPart.Train, split.PartOf(split.Train[0]));
        Assert.Throws<KeyNotFoundException>(() => split.PartOf("nobody"));
    }
}
