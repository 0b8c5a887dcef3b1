using Amrs.Core.Import;
using Amrs.Simulation.Generation;

namespace Amrs.Simulation.Tests.Generation;

public sealed class DeterminismTests
{
    private static readonly WorldConfig _tiny = WorldConfig.Default.Scaled(patients: 40, tracks: 400);

    [Fact]
    public void The_same_seed_gives_a_byte_identical_csv_export()
    {
        Assert.Equal(Export(WorldGenerator.Generate(_tiny, cancellationToken: TestContext.Current.CancellationToken)), Export(WorldGenerator.Generate(_tiny, cancellationToken: TestContext.Current.CancellationToken)));
    }

    [Fact]
    public void Another_seed_gives_another_world()
    {
        Assert.NotEqual(Export(WorldGenerator.Generate(_tiny, cancellationToken: TestContext.Current.CancellationToken)), Export(WorldGenerator.Generate(_tiny with { Seed = 99 }, cancellationToken: TestContext.Current.CancellationToken)));
    }

    [Fact]
    public void Growing_the_world_keeps_the_existing_tracks_and_patients()
    {
        var small = WorldGenerator.Generate(_tiny, cancellationToken: TestContext.Current.CancellationToken);
        var larger = WorldGenerator.Generate(_tiny with { PatientCount = 60, TrackCount = 500 }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(small.Catalog, larger.Catalog.Take(small.Catalog.Count));
        Assert.Equal(
            small.Patients.Select(p => (p.PatientId, p.BirthYear, p.CareSetting, p.Consent)),
            larger.Patients.Take(small.Patients.Count).Select(p => (p.PatientId, p.BirthYear, p.CareSetting, p.Consent)));
    }

    [Fact]
    public void Progress_is_reported_up_to_the_last_patient()
    {
        var reports = new List<WorldProgress>();
        WorldGenerator.Generate(_tiny, new SynchronousProgress(reports.Add), TestContext.Current.CancellationToken);

        Assert.Contains(reports, r => r.Stage == "catalog" && r.Completed == 1);
        Assert.Equal(new WorldProgress("sessions", 40, 40), reports[^1]);
    }

    internal static byte[] Export(GeneratedWorld world)
    {
        using var stream = new MemoryStream();
        CatalogCsv.Write(stream, world.Catalog);
        PatientCsv.Write(stream, world.Patients);
        SessionLogCsv.Write(stream, world.Sessions);
        return stream.ToArray();
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; this one reports in line so the test sees every report.</summary>
    private sealed class SynchronousProgress(Action<WorldProgress> report) : IProgress<WorldProgress>
    {
        public void Report(WorldProgress value) => report(value);
    }
}
