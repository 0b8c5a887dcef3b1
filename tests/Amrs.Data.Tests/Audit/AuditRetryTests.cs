using Amrs.Core.Audit;
using Amrs.Data.Clinical;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Data.Tests.Audit;

/// <summary>
/// The audit log retries a write only when it lost a race for the end of the chain. A change that a constraint of its
/// own refuses (a duplicate record) surfaces at the first attempt, with nothing written, instead of being tried twenty
/// times.
/// </summary>
public sealed class AuditRetryTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_change_refused_by_its_own_unique_key_is_tried_once_and_nothing_of_it_is_kept()
    {
        await using var database = await AuditTestDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        await database.Log.RecordAsync(db =>
        {
            db.Tracks.Add(Track("T-001"));
            return Task.FromResult<(IReadOnlyList<AuditDraft>, int)>(([Draft("first")], 0));
        }, ct);

        var attempts = 0;
        await Assert.ThrowsAsync<DbUpdateException>(() => database.Log.RecordAsync(db =>
        {
            attempts++;
            db.Tracks.Add(Track("T-001"));
            return Task.FromResult<(IReadOnlyList<AuditDraft>, int)>(([Draft("duplicate")], 0));
        }, ct));

        Assert.Equal(1, attempts);
        var entries = await database.AllAsync();
        Assert.Equal(["first"], entries.Select(e => e.EntityId));
        await using var check = await database.Contexts.CreateDbContextAsync(ct);
        Assert.Equal(1, await check.Tracks.CountAsync(ct));
    }

    private static TrackEntity Track(string id) => new() { TrackId = id, Title = "Song", Artist = "Band", Valence = 0.5, Arousal = 0.5 };

    private static AuditDraft Draft(string entityId) =>
        AuditTestDatabase.Draft(At, "u-1", AuditActions.PatientViewed, null) with { EntityId = entityId };
}
