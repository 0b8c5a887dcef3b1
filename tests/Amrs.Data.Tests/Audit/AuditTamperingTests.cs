using Amrs.Core.Audit;

namespace Amrs.Data.Tests.Audit;

/// <summary>
/// An attacker with the database file drops the append-only triggers and rewrites the trail directly. Verifying the
/// whole chain from the database finds each kind of rewrite and names the first broken entry.
/// </summary>
public sealed class AuditTamperingTests
{
    private const string Columns = "RecordedAtUnixMs, ActorId, ActorName, ActorRole, Action, EntityType, EntityId, PatientId, Outcome, Details, PreviousHash, Hash";

    [Fact]
    public async Task An_untouched_trail_verifies_intact()
    {
        await using var database = await TamperedAsync(_ => Task.CompletedTask);

        var result = await database.Reader.VerifyAsync(TestContext.Current.CancellationToken);

        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(10, result.VerifiedCount);
        Assert.Equal(10, result.Head.Sequence);
    }

    [Fact]
    public async Task Editing_one_field_of_one_row_is_found_at_that_entry()
    {
        await using var database = await TamperedAsync(d => d.ExecuteAsync("UPDATE AuditEntries SET ActorName = 'Someone Else' WHERE Sequence = 5"));

        var result = await database.Reader.VerifyAsync(TestContext.Current.CancellationToken);

        AssertBrokenAt(result, 5, AuditChainFault.ContentChanged);
        Assert.Equal(4, result.VerifiedCount);
    }

    [Fact]
    public async Task Editing_a_row_and_recomputing_its_hash_is_found_at_the_next_entry()
    {
        await using var database = await TamperedAsync(async d =>
        {
            var fifth = (await d.AllAsync())[4];
            var forged = fifth with { Outcome = AuditOutcome.Success, Details = "{\"note\":\"nothing happened\"}" };
            var hash = AuditChain.ComputeHash(forged);
            await d.ExecuteAsync($"UPDATE AuditEntries SET Details = '{forged.Details}', Hash = '{hash}' WHERE Sequence = 5");
        });

        var result = await database.Reader.VerifyAsync(TestContext.Current.CancellationToken);

        AssertBrokenAt(result, 6, AuditChainFault.LinkBroken);
        Assert.Contains("entry 5", result.FirstBreak!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_a_row_is_found_where_the_gap_is()
    {
        await using var database = await TamperedAsync(d => d.ExecuteAsync("DELETE FROM AuditEntries WHERE Sequence = 5"));

        var result = await database.Reader.VerifyAsync(TestContext.Current.CancellationToken);

        AssertBrokenAt(result, 6, AuditChainFault.Gap);
        Assert.Contains("Entry 5 is missing", result.FirstBreak!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_a_row_and_renumbering_the_rest_is_found_at_the_first_renumbered_entry()
    {
        await using var database = await TamperedAsync(d => d.ExecuteAsync(
            "DELETE FROM AuditEntries WHERE Sequence = 5; UPDATE AuditEntries SET Sequence = -(Sequence - 1) WHERE Sequence > 5; UPDATE AuditEntries SET Sequence = -Sequence WHERE Sequence < 0;"));

        var result = await database.Reader.VerifyAsync(TestContext.Current.CancellationToken);

        AssertBrokenAt(result, 5, AuditChainFault.ContentChanged);
    }

    [Fact]
    public async Task Swapping_the_content_of_two_rows_is_found_at_the_first_of_them()
    {
        await using var database = await TamperedAsync(d => d.ExecuteAsync($"""
            CREATE TEMP TABLE Swap AS SELECT Sequence, {Columns} FROM AuditEntries WHERE Sequence IN (4, 7);
            UPDATE AuditEntries SET ({Columns}) = (SELECT {Columns} FROM Swap WHERE Swap.Sequence = 11 - AuditEntries.Sequence)
            WHERE Sequence IN (4, 7);
            """));
        var rows = await database.AllAsync();
        Assert.Equal(("P-003", "P-002"), (rows[6].PatientId, rows[3].PatientId)); // entries 4 and 7 carry each other's content

        var result = await database.Reader.VerifyAsync(TestContext.Current.CancellationToken);

        AssertBrokenAt(result, 4, AuditChainFault.ContentChanged);
        Assert.Equal(3, result.VerifiedCount);
    }

    [Fact]
    public async Task Swapping_the_sequence_numbers_of_two_rows_is_found_at_the_first_of_them()
    {
        await using var database = await TamperedAsync(d => d.ExecuteAsync(
            "UPDATE AuditEntries SET Sequence = -1 WHERE Sequence = 8; UPDATE AuditEntries SET Sequence = 8 WHERE Sequence = 9; UPDATE AuditEntries SET Sequence = 9 WHERE Sequence = -1;"));

        var result = await database.Reader.VerifyAsync(TestContext.Current.CancellationToken);

        AssertBrokenAt(result, 8, AuditChainFault.ContentChanged);
    }

    private static void AssertBrokenAt(AuditChainVerification result, long sequence, AuditChainFault fault)
    {
        Assert.False(result.IsIntact, "the rewrite went unnoticed");
        Assert.Equal(sequence, result.FirstBreak!.Sequence);
        Assert.Equal(fault, result.FirstBreak.Fault);
    }

    /// <summary>Ten real entries, the triggers dropped as an attacker would, then the rewrite.</summary>
    private static async Task<AuditTestDatabase> TamperedAsync(Func<AuditTestDatabase, Task> rewrite)
    {
        var database = await AuditTestDatabase.CreateAsync();
        await database.AppendAsync(10);
        Assert.True((await database.Reader.VerifyAsync()).IsIntact);
        await database.DropTriggersAsync();
        await rewrite(database);
        return database;
    }
}
