using Amrs.Core.Affect;
using Amrs.Core.Audit;
using Amrs.Core.Catalog;
using Amrs.Core.Patients;
using Amrs.Core.Sessions;
using Amrs.Data.Clinical;

namespace Amrs.Data.Tests.Clinical;

public sealed class ClinicalDataWriterTests
{
    private static readonly ClinicalDataSet Data = new(
        [new Track("T-1", "A", "B", 0.5, 0.4), new Track("T-2", "C", "D", 0.7, 0.2, Genre: "jazz")],
        [new Patient("P-1", 1940, CareSetting.Clinical, CognitiveStage.Mild, ["jazz"], 0.6, [], true, CareUnit: "Unit A")],
        [new LoggedSession("S-1", "P-1", new DateTimeOffset(2025, 1, 6, 9, 5, 0, TimeSpan.Zero), SessionMode.Calm, new AffectPoint(0.7, 0.3),
            [new LoggedStep(0, "T-2", 0.9, 1, 0.66, 0.31, 0.4), new LoggedStep(1, "T-1", 0.7, null, null, null, 0.2)])]);

    private static AuditDraft Draft => new(DateTimeOffset.UtcNow, AuditActors.SystemId, AuditActors.SystemName, AuditActors.SystemRole,
        AuditActions.DataGenerated, AuditEntityTypes.Dataset, "world:test", null, AuditOutcome.Success);

    [Fact]
    public async Task A_data_set_goes_into_an_empty_database_and_reads_back_the_same()
    {
        await using var db = await ClinicalTestDatabase.CreateAsync();

        var counts = await db.Writer.WriteAsync(Data, SessionSource.Generated, Draft, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(new ClinicalDataCounts(2, 1, 1, 2), counts);
        Assert.Equal(counts, await db.CountsAsync());
        var stored = new List<LoggedSession>();
        await foreach (var s in db.Reader.SessionsAsync(SessionSource.Generated, TestContext.Current.CancellationToken))
            stored.Add(s);
        Assert.Equal(SessionFingerprint.Of(Data.Sessions), SessionFingerprint.Of(stored));
        Assert.Single(await db.AuditAsync(AuditActions.DataGenerated));
    }

    [Fact]
    public async Task A_database_with_clinical_data_is_refused_and_left_as_it_was()
    {
        await using var db = await ClinicalTestDatabase.CreateAsync();
        await db.ImportAsync(ClinicalDataKind.Catalog, db.File("c.csv", ClinicalCsvSamples.Catalog));

        var refused = await Assert.ThrowsAsync<ClinicalDataExistsException>(() =>
            db.Writer.WriteAsync(Data, SessionSource.Generated, Draft, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(3, refused.Counts.Tracks);
        Assert.Equal(new ClinicalDataCounts(3, 0, 0, 0), await db.CountsAsync());
        Assert.Empty(await db.AuditAsync(AuditActions.DataGenerated));
    }

    [Fact]
    public async Task Statistics_count_by_dimension_and_bin_the_observed_affect()
    {
        await using var db = await ClinicalTestDatabase.CreateAsync();
        await db.Writer.WriteAsync(Data, SessionSource.Generated, Draft, cancellationToken: TestContext.Current.CancellationToken);

        var stats = await db.Reader.StatisticsAsync(TestContext.Current.CancellationToken);

        Assert.Equal((2, 1, 1, 2), (stats.Tracks, stats.Patients, stats.Sessions, stats.Steps));
        Assert.Equal(1, stats.PatientsBySetting["clinical"]);
        Assert.Equal(1, stats.PatientsByUnit["Unit A"]);
        Assert.Equal(1, stats.SessionsByMode["calm"]);
        Assert.Equal(1, stats.SessionsBySource["generated"]);
        Assert.Equal(0.5, stats.RatingRate);
        Assert.Equal(1, stats.Valence.Bins[6]); // 0.66
        Assert.Equal(1, stats.Arousal.Bins[3]); // 0.31
        Assert.Equal(1, stats.Valence.Total);
    }
}
