using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Data.Tests.Audit;

/// <summary>The two halves of append-only: the data layer refuses to save a rewrite, the database's triggers refuse raw SQL.</summary>
public sealed class AppendOnlyTests
{
    [Fact]
    public async Task The_data_layer_refuses_to_save_a_changed_entry()
    {
        await using var database = await AuditTestDatabase.CreateAsync();
        await database.AppendAsync(3);
        var ct = TestContext.Current.CancellationToken;

        await using (var db = await database.Contexts.CreateDbContextAsync(ct))
        {
            var entry = await db.AuditEntries.SingleAsync(e => e.Sequence == 2, ct);
            db.Entry(entry).Property(e => e.ActorName).CurrentValue = "Someone Else";

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(ct));
            Assert.Contains("append-only: entry 2 cannot be changed", refused.Message, StringComparison.Ordinal);
            Assert.Throws<InvalidOperationException>(() => db.SaveChanges());
        }

        await AssertUntouchedAsync(database, 3);
    }

    [Fact]
    public async Task The_data_layer_refuses_to_delete_an_entry()
    {
        await using var database = await AuditTestDatabase.CreateAsync();
        await database.AppendAsync(3);
        var ct = TestContext.Current.CancellationToken;

        await using (var db = await database.Contexts.CreateDbContextAsync(ct))
        {
            db.AuditEntries.Remove(await db.AuditEntries.SingleAsync(e => e.Sequence == 3, ct));

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(ct));
            Assert.Contains("entry 3 cannot be deleted", refused.Message, StringComparison.Ordinal);
        }

        await AssertUntouchedAsync(database, 3);
    }

    [Fact]
    public async Task The_database_refuses_raw_sql_updates_and_deletes()
    {
        await using var database = await AuditTestDatabase.CreateAsync();
        await database.AppendAsync(3);

        var update = await Assert.ThrowsAsync<SqliteException>(() => database.ExecuteAsync("UPDATE AuditEntries SET ActorName = 'x' WHERE Sequence = 1"));
        var delete = await Assert.ThrowsAsync<SqliteException>(() => database.ExecuteAsync("DELETE FROM AuditEntries"));

        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
        await AssertUntouchedAsync(database, 3);
    }

    [Fact]
    public async Task Bulk_updates_and_deletes_through_ef_which_skip_save_changes_are_refused_by_the_database()
    {
        await using var database = await AuditTestDatabase.CreateAsync();
        await database.AppendAsync(3);
        var ct = TestContext.Current.CancellationToken;

        await using (var db = await database.Contexts.CreateDbContextAsync(ct))
        {
            await Assert.ThrowsAsync<SqliteException>(() => db.AuditEntries.ExecuteDeleteAsync(ct));
            await Assert.ThrowsAsync<SqliteException>(() => db.AuditEntries.Where(e => e.Sequence == 1)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ActorName, "x"), ct));
        }

        await AssertUntouchedAsync(database, 3);
    }

    private static async Task AssertUntouchedAsync(AuditTestDatabase database, int count)
    {
        var result = await database.Reader.VerifyAsync();
        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(count, result.VerifiedCount);
        Assert.All(await database.AllAsync(), e => Assert.StartsWith("Person u-", e.ActorName, StringComparison.Ordinal));
    }
}
