using Amrs.Core.Audit;

namespace Amrs.Core.Tests.Audit;

public sealed class AuditChainVerifierTests
{
    [Fact]
    public void An_intact_chain_verifies_every_entry()
    {
        var chain = AuditTestChains.Build(50);

        var result = AuditChainVerifier.Verify(chain);

        Assert.True(result.IsIntact);
        Assert.Equal(50, result.VerifiedCount);
        Assert.Equal(chain[^1].Head, result.Head);
    }

    [Fact]
    public void An_empty_chain_is_intact()
    {
        var result = AuditChainVerifier.Verify([]);

        Assert.True(result.IsIntact);
        Assert.Equal(0, result.VerifiedCount);
        Assert.Equal(AuditChainHead.Genesis, result.Head);
    }

    [Fact]
    public void An_edited_entry_is_named_as_changed()
    {
        var chain = AuditTestChains.Build(10);
        chain[6] = chain[6] with { Outcome = AuditOutcome.Refused };

        var result = AuditChainVerifier.Verify(chain);

        AssertBreak(result, sequence: 7, AuditChainFault.ContentChanged, verified: 6);
    }

    [Fact]
    public void An_edit_to_the_stored_time_or_hash_is_detected()
    {
        var chain = AuditTestChains.Build(5);
        var timeEdited = chain.ToList();
        timeEdited[2] = timeEdited[2] with { RecordedAt = timeEdited[2].RecordedAt.AddMilliseconds(1) };
        var hashEdited = chain.ToList();
        hashEdited[2] = hashEdited[2] with { Hash = hashEdited[2].Hash.ToUpperInvariant() };

        AssertBreak(AuditChainVerifier.Verify(timeEdited), sequence: 3, AuditChainFault.ContentChanged, verified: 2);
        AssertBreak(AuditChainVerifier.Verify(hashEdited), sequence: 3, AuditChainFault.ContentChanged, verified: 2);
    }

    [Fact]
    public void An_edited_and_resealed_entry_breaks_the_link_of_the_next()
    {
        var chain = AuditTestChains.Build(10);
        var forged = AuditChain.Seal(AuditTestChains.Draft(4) with { Details = "{\"forged\":true}" }, chain[2]);
        chain[3] = forged;

        var result = AuditChainVerifier.Verify(chain);

        AssertBreak(result, sequence: 5, AuditChainFault.LinkBroken, verified: 4);
        Assert.Contains("entry 4", result.FirstBreak!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deleted_entry_is_reported_as_a_gap()
    {
        var chain = AuditTestChains.Build(10);
        chain.RemoveAt(4);

        var result = AuditChainVerifier.Verify(chain);

        AssertBreak(result, sequence: 6, AuditChainFault.Gap, verified: 4);
        Assert.Equal(5, result.FirstBreak!.Position);
        Assert.Contains("Entry 5 is missing", result.FirstBreak.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_deleted_entries_including_the_last_ones_before_the_end_are_a_gap()
    {
        var chain = AuditTestChains.Build(10);
        chain.RemoveRange(6, 3);

        var result = AuditChainVerifier.Verify(chain);

        AssertBreak(result, sequence: 10, AuditChainFault.Gap, verified: 6);
        Assert.Contains("Entries 7 to 9 are missing", result.FirstBreak!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_first_entry_is_a_gap()
    {
        var chain = AuditTestChains.Build(3).Skip(1);

        AssertBreak(AuditChainVerifier.Verify(chain), sequence: 2, AuditChainFault.Gap, verified: 0);
    }

    [Fact]
    public void A_deleted_entry_with_the_rest_renumbered_and_resealed_breaks_the_link()
    {
        var chain = AuditTestChains.Build(6);
        var tampered = chain.Take(2).ToList();
        foreach (var n in new[] { 4, 5, 6 })
            tampered.Add(AuditChain.Seal(AuditTestChains.Draft(n), tampered[^1]));
        // Only the tail was re-sealed; the forger could not reach back past entry 2, so entry 3 now links to 2,
        // which is consistent. What gives it away is a hash anchored elsewhere (an export or a checkpoint).
        var anchored = AuditChainVerifier.Verify(tampered.Skip(3), start: chain[2].Head);

        AssertBreak(anchored, sequence: 4, AuditChainFault.LinkBroken, verified: 0);
    }

    [Fact]
    public void Swapped_entries_are_reported_as_a_reorder()
    {
        var chain = AuditTestChains.Build(10);
        (chain[3], chain[4]) = (chain[4], chain[3]);

        var result = AuditChainVerifier.Verify(chain);

        AssertBreak(result, sequence: 5, AuditChainFault.Reorder, verified: 3);
        Assert.Equal(4, result.FirstBreak!.Position);
    }

    [Fact]
    public void Swapped_content_with_the_sequence_numbers_kept_is_a_changed_entry()
    {
        var chain = AuditTestChains.Build(10);
        var (third, fourth) = (chain[2], chain[3]);
        chain[2] = fourth with { Sequence = 3 };
        chain[3] = third with { Sequence = 4 };

        AssertBreak(AuditChainVerifier.Verify(chain), sequence: 3, AuditChainFault.ContentChanged, verified: 2);
    }

    [Fact]
    public void An_entry_going_backwards_is_a_reorder()
    {
        var chain = AuditTestChains.Build(6);
        chain.Insert(5, chain[1]);

        AssertBreak(AuditChainVerifier.Verify(chain), sequence: 2, AuditChainFault.Reorder, verified: 5);
    }

    [Fact]
    public void An_inserted_entry_with_a_repeated_sequence_is_a_duplicate()
    {
        var chain = AuditTestChains.Build(8);
        var inserted = AuditChain.Seal(AuditTestChains.Draft(99), chain[2]);
        chain.Insert(4, inserted);

        var result = AuditChainVerifier.Verify(chain);

        AssertBreak(result, sequence: 4, AuditChainFault.Duplicate, verified: 4);
        Assert.Equal(5, result.FirstBreak!.Position);
    }

    [Fact]
    public void An_inserted_entry_with_the_rest_renumbered_breaks_the_next_entry()
    {
        var chain = AuditTestChains.Build(8);
        var inserted = AuditChain.Seal(AuditTestChains.Draft(99), chain[2]);
        var tampered = chain.Take(3).Append(inserted)
            .Concat(chain.Skip(3).Select(e => e with { Sequence = e.Sequence + 1 }))
            .ToList();

        AssertBreak(AuditChainVerifier.Verify(tampered), sequence: 5, AuditChainFault.ContentChanged, verified: 4);
    }

    [Fact]
    public void A_first_entry_not_linked_to_genesis_is_a_broken_link()
    {
        var foreignHead = new AuditChainHead(0, new string('a', 64));
        var chain = new[] { AuditChain.Seal(AuditTestChains.Draft(1), foreignHead) };

        AssertBreak(AuditChainVerifier.Verify(chain), sequence: 1, AuditChainFault.LinkBroken, verified: 0);
    }

    [Fact]
    public async Task Async_verification_reports_the_same_first_break()
    {
        var chain = AuditTestChains.Build(20);
        chain[11] = chain[11] with { ActorName = "Someone Else" };

        var result = await AuditChainVerifier.VerifyAsync(Stream(chain), cancellationToken: TestContext.Current.CancellationToken);

        AssertBreak(result, sequence: 12, AuditChainFault.ContentChanged, verified: 11);

        static async IAsyncEnumerable<AuditEntry> Stream(IEnumerable<AuditEntry> entries)
        {
            foreach (var entry in entries)
            {
                await Task.Yield();
                yield return entry;
            }
        }
    }

    [Fact]
    public void A_chain_can_be_verified_in_parts_from_a_trusted_anchor()
    {
        var chain = AuditTestChains.Build(10);

        var firstPart = AuditChainVerifier.Verify(chain.Take(6));
        var secondPart = AuditChainVerifier.Verify(chain.Skip(6), start: firstPart.Head);

        Assert.True(firstPart.IsIntact);
        Assert.True(secondPart.IsIntact);
        Assert.Equal(4, secondPart.VerifiedCount);
        Assert.Equal(chain[^1].Head, secondPart.Head);
    }

    [Fact]
    public void The_incremental_verifier_stops_at_the_first_break()
    {
        var chain = AuditTestChains.Build(5);
        chain[1] = chain[1] with { Details = "{}" };
        var verifier = new AuditChainVerifier();

        var accepted = chain.TakeWhile(verifier.Add).Count();

        Assert.Equal(1, accepted);
        Assert.True(verifier.IsBroken);
        Assert.False(verifier.Add(chain[2]));
        AssertBreak(verifier.Complete(), sequence: 2, AuditChainFault.ContentChanged, verified: 1);
    }

    private static void AssertBreak(AuditChainVerification result, long sequence, AuditChainFault fault, long verified)
    {
        Assert.False(result.IsIntact);
        Assert.NotNull(result.FirstBreak);
        Assert.Equal(fault, result.FirstBreak.Fault);
        Assert.Equal(sequence, result.FirstBreak.Sequence);
        Assert.Equal(verified, result.VerifiedCount);
        Assert.False(string.IsNullOrWhiteSpace(result.FirstBreak.Reason));
    }
}
