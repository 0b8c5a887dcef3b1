using Amrs.Core.Import;
using Amrs.Core.Splits;
using static Amrs.Simulation.Tests.SmallWorld;

namespace Amrs.Simulation.Tests.Generation;

public sealed class WorldRoundTripTests
{
    [Fact]
    public void A_generated_world_exported_to_csv_imports_as_the_same_data()
    {
        var catalog = RoundTrip(s => CatalogCsv.Write(s, World.Catalog), CatalogCsv.Read);
        var patients = RoundTrip(s => PatientCsv.Write(s, World.Patients), PatientCsv.Read);
        var sessions = RoundTrip(s => SessionLogCsv.Write(s, World.Sessions), SessionLogCsv.Read);

        Assert.Equal(World.Catalog, catalog);
        Assert.Equal(World.Patients.Count, patients.Count);
        for (var i = 0; i < patients.Count; i++)
        {
            var (a, b) = (World.Patients[i], patients[i]);
            Assert.Equal(a with { PreferredGenres = [], ExcludedGenres = [] }, b with { PreferredGenres = [], ExcludedGenres = [] });
            Assert.Equal(a.PreferredGenres, b.PreferredGenres);
            Assert.Equal(a.ExcludedGenres, b.ExcludedGenres);
        }
        Assert.Equal(World.Sessions.Count, sessions.Count);
        for (var i = 0; i < sessions.Count; i++)
        {
            var (a, b) = (World.Sessions[i], sessions[i].Session);
            Assert.Equal(a with { Steps = [] }, b with { Steps = [] });
            Assert.Equal(a.Steps, b.Steps);
        }
        var known = SessionReferenceCheck.Validate(sessions,
            World.Patients.Select(p => p.PatientId).ToHashSet(), World.Catalog.Select(t => t.TrackId).ToHashSet());
        Assert.Empty(known);
    }

    [Fact]
    public void Cold_start_splits_of_the_cohort_are_disjoint_and_cover_every_patient()
    {
        var ids = World.Patients.Select(p => p.PatientId).ToArray();

        foreach (var split in ColdStartSplitter.MonteCarlo(ids, splits: 10, seed: 2026))
        {
            var parts = new[] { split.Train, split.Validation, split.Test };
            Assert.Empty(split.Train.Intersect(split.Validation));
            Assert.Empty(split.Train.Intersect(split.Test));
            Assert.Empty(split.Validation.Intersect(split.Test));
            Assert.Equal(ids.Order(StringComparer.Ordinal), parts.SelectMany(p => p).Order(StringComparer.Ordinal));
            Assert.Equal((120, 15, 15), (split.Train.Count, split.Validation.Count, split.Test.Count));
        }
    }

    private static IReadOnlyList<T> RoundTrip<T>(Action<Stream> write, Func<Stream, CsvReadResult<T>> read)
    {
        using var stream = new MemoryStream();
        write(stream);
        stream.Position = 0;
        var result = read(stream);
        Assert.True(result.IsValid, string.Join("; ", result.Errors.Take(5)));
        return result.Values;
    }
}
