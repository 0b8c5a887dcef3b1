using Amrs.Core.Catalog;
using Amrs.Simulation.Catalog;
using static Amrs.Simulation.Tests.SmallWorld;

namespace Amrs.Simulation.Tests.Catalog;

public sealed class CatalogGeneratorTests
{
    private static readonly IReadOnlyList<Track> _catalog = CatalogGenerator.Generate(WorldConfig.Default);

    [Fact]
    public void The_default_catalog_has_3000_unique_tracks_over_many_genres_and_every_decade()
    {
        Assert.Equal(3000, _catalog.Count);
        Assert.Equal(3000, _catalog.Select(t => t.TrackId).Distinct().Count());
        Assert.True(_catalog.Select(t => t.Genre).Distinct().Count() >= 12);
        var decades = _catalog.Select(t => t.Year!.Value / 10 * 10).ToHashSet();
        Assert.All(Enumerable.Range(0, 10).Select(k => 1930 + 10 * k), d => Assert.Contains(d, decades));
        Assert.All(_catalog, t => Assert.True(t.Valence is >= 0 and <= 1 && t.Arousal is >= 0 and <= 1));
        Assert.Contains(_catalog, t => (t.Title + t.Artist).Any(c => c > 127));
        Assert.True(_catalog.Select(t => t.Title).Distinct().Count() > 1000, "titles repeat too often");
    }

    [Fact]
    public void Descriptors_correlate_with_affect_as_in_real_music()
    {
        var arousal = _catalog.Select(t => t.Arousal).ToArray();
        var valence = _catalog.Select(t => t.Valence).ToArray();
        double[] Of(Func<AudioDescriptors, double?> f) => _catalog.Select(t => f(t.Audio!)!.Value).ToArray();
        var energy = Of(a => a.Energy);

        Assert.True(Correlation(energy, arousal) > 0.8);
        Assert.True(Correlation(Of(a => a.Tempo), arousal) > 0.6);
        Assert.True(Correlation(Of(a => a.Loudness), arousal) > 0.6);
        Assert.True(Correlation(Of(a => a.Acousticness), energy) < -0.5);
        Assert.True(Correlation(Of(a => a.Danceability), valence) > 0.3);
        Assert.True(Correlation(Of(a => a.Mode), valence) > 0.2);
    }

    [Fact]
    public void Genres_differ_in_era_and_affect()
    {
        var byGenre = _catalog.GroupBy(t => t.Genre!).ToDictionary(g => g.Key, g => g.ToArray());

        Assert.True(byGenre["Swing"].Average(t => t.Year!.Value) < byGenre["Hip Hop"].Average(t => t.Year!.Value) - 40);
        Assert.True(byGenre["Ambient"].Average(t => t.Arousal) < byGenre["Rock"].Average(t => t.Arousal) - 0.4);
        Assert.True(byGenre["Classical"].Average(t => t.Audio!.Instrumentalness!.Value) > 0.8);
    }
}
