using Amrs.Core.Audit;
using Amrs.Data.Audit.Anchors;

namespace Amrs.Data.Tests.Audit;

/// <summary>
/// What the chain alone cannot show, the anchors kept outside the database do: newest entries deleted, or the whole
/// trail rewritten and hashed again, after a head was anchored. Also: anchoring only when the trail grew, and an
/// edited anchor file.
/// </summary>
public sealed class AuditAnchorTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_untouched_trail_holds_against_its_anchors_and_the_head_is_anchored_only_when_the_trail_grew()
    {
        await using var database = await AuditTestDatabase.CreateAsync();
        var (anchors, file) = Anchors(database);
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal("No anchors yet in " + file.Path + ".", (await anchors.CheckAsync(ct)).Summary);

        await database.AppendAsync(5);
        Assert.Equal(5, (await anchors.AnchorCurrentHeadAsync(ct))?.Sequence);
        Assert.Null(await anchors.AnchorCurrentHeadAsync(ct)); // nothing new since
        await database.AppendAsync(3);
        Assert.Equal(8, (await anchors.AnchorCurrentHeadAsync(ct))?.Sequence);

        var check = await anchors.CheckAsync(ct);
        Assert.True(check.Holds, check.Summary);
        Assert.Equal(2, check.Checked);
        Assert.Equal([5L, 8L], (await file.ReadAsync(ct)).Anchors.Select(a => a.Head.Sequence));
    }

    [Fact]
    public async Task Deleting_the_newest_entries_verifies_as_a_chain_but_fails_the_anchor_of_the_removed_head()
    {
        await using var database = await AuditTestDatabase.CreateAsync();
        var (anchors, _) = Anchors(database);
        var ct = TestContext.Current.CancellationToken;
        await database.AppendAsync(10);
        await anchors.AnchorCurrentHeadAsync(ct);

        await database.DropTriggersAsync();
        await database.ExecuteAsync("DELETE FROM AuditEntries WHERE Sequence > 7");

        Assert.True((await database.Reader.VerifyAsync(ct)).IsIntact); // the chain alone cannot tell
        var check = await anchors.CheckAsync(ct);
        Assert.False(check.Holds);
        Assert.Equal(10, check.FirstMismatch!.Anchor.Head.Sequence);
        Assert.Contains("Entry 10, anchored on 2026-03-02 09:00:00 UTC", check.Summary, StringComparison.Ordinal);
        Assert.Contains("the trail was cut back after that time", check.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rewriting_and_rehashing_the_whole_trail_verifies_as_a_chain_but_fails_the_anchor()
    {
        await using var database = await AuditTestDatabase.CreateAsync();
        var (anchors, _) = Anchors(database);
        var ct = TestContext.Current.CancellationToken;
        await database.AppendAsync(6);
        await anchors.AnchorCurrentHeadAsync(ct);

        // An owner of the database forges entry 2 and seals every entry after it again, in order.
        var entries = await database.AllAsync();
        await database.DropTriggersAsync();
        await database.ExecuteAsync("DELETE FROM AuditEntries");
        AuditEntry? previous = null;
        foreach (var entry in entries)
        {
            var draft = new AuditDraft(entry.RecordedAt, entry.ActorId, entry.ActorName, entry.ActorRole, entry.Action, entry.EntityType,
                entry.EntityId, entry.PatientId, entry.Sequence == 2 ? AuditOutcome.Refused : entry.Outcome, entry.Details);
            previous = AuditChain.Seal(draft, previous);
            await using var db = await database.Contexts.CreateDbContextAsync(ct);
            db.AuditEntries.Add(previous);
            await db.SaveChangesAsync(ct);
        }

        Assert.True((await database.Reader.VerifyAsync(ct)).IsIntact);
        var check = await anchors.CheckAsync(ct);
        Assert.False(check.Holds);
        Assert.Contains("Entry 6 no longer has the hash anchored", check.Summary, StringComparison.Ordinal);
        Assert.Contains("rewritten", check.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_line_of_the_anchor_file_that_is_not_an_anchor_fails_the_check_and_is_named()
    {
        await using var database = await AuditTestDatabase.CreateAsync();
        var (anchors, file) = Anchors(database);
        var ct = TestContext.Current.CancellationToken;
        await database.AppendAsync(3);
        await anchors.AnchorCurrentHeadAsync(ct);
        await File.AppendAllTextAsync(file.Path, "3 not-a-hash 2026-03-02T09:00:00Z\n", ct);

        var check = await anchors.CheckAsync(ct);

        Assert.False(check.Holds);
        Assert.Equal(1, check.Checked);
        Assert.Equal([4], check.UnreadableLines); // two comment lines, the real anchor, then the edit
        Assert.Contains("Line 4 of the anchor file", check.Summary, StringComparison.Ordinal);
        Assert.Contains("is not an anchor: the file was edited.", check.Summary, StringComparison.Ordinal);
    }

    private static (AuditAnchors Anchors, AuditAnchorFile File) Anchors(AuditTestDatabase database)
    {
        var file = new AuditAnchorFile(Path.ChangeExtension(database.FilePath, ".audit-anchors.txt"));
        return (new AuditAnchors(file, database.Reader, new FixedClock(Now)), file);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
