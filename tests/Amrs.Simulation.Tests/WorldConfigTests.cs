namespace Amrs.Simulation.Tests;

public sealed class WorldConfigTests
{
    [Fact]
    public void Equal_configurations_have_equal_hashes_and_any_change_changes_the_hash()
    {
        var hash = WorldConfig.Default.ConfigHash;

        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(hash, (WorldConfig.Default with { }).ConfigHash);
        Assert.NotEqual(hash, (WorldConfig.Default with { Seed = 1 }).ConfigHash);
        Assert.NotEqual(hash, (WorldConfig.Default with { Traits = WorldConfig.Default.Traits with { AffectNoiseMax = 0.2 } }).ConfigHash);
        Assert.NotEqual(hash, WorldConfig.Alt.ConfigHash);
    }

    [Fact]
    public void The_canonical_json_has_sorted_keys_and_no_hash_inside()
    {
        var json = WorldConfig.Default.CanonicalJson();

        Assert.StartsWith("{\"AffectObservedRate\":0.3,", json, StringComparison.Ordinal);
        Assert.DoesNotContain("ConfigHash", json, StringComparison.Ordinal);
        Assert.Contains("\"Traits\":{\"AffectNoiseMax\":", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Alt_differs_in_seed_and_trait_spreads_only()
    {
        var alt = WorldConfig.Alt;

        Assert.NotEqual(WorldConfig.Default.Seed, alt.Seed);
        Assert.NotEqual(WorldConfig.Default.Traits, alt.Traits);
        Assert.Equal(WorldConfig.Default with { Seed = alt.Seed, Traits = alt.Traits }, alt);
    }

    [Fact]
    public void A_nonsensical_configuration_is_refused_before_generation()
    {
        Assert.Throws<ArgumentException>(() => (WorldConfig.Default with { MinTracksPerSession = 20 }).Validate());
        Assert.Throws<ArgumentException>(() => (WorldConfig.Default with { AffectObservedRate = 1.5 }).Validate());
        WorldConfig.Default.Validate();
        WorldConfig.Alt.Validate();
    }
}
