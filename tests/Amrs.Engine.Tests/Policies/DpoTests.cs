using Amrs.Core.Utility;
using Amrs.Engine.Policies;
using Amrs.Engine.Training;
using Amrs.Engine.WorldModels;
using TorchSharp;

namespace Amrs.Engine.Tests.Policies;

public sealed class DpoTests
{
    private static readonly Lazy<WorldModelEnsemble> WorldModel = new(() =>
    {
        var data = TinyPolicies.Cloned.Data.Histories;
        return new WorldModelTrainer(TinyModels.Options, TinyModels.Training with { Members = 2, MaxEpochs = 8 })
            .Train(data, null, TestContext.Current.CancellationToken).Ensemble;
    });

    private static readonly DpoOptions Small = new()
    {
        CorrectionPairs = 60, PlaylistPairs = 10, PlaylistLength = 4, RolloutTrajectories = 2, Epochs = 2, BatchSize = 16,
        LearningRate = 1e-3, Beta = 0.5,
    };

    [Fact]
    public void Corrections_reject_the_logged_track_for_a_better_allowed_candidate_and_playlist_pairs_compare_two_sampled_lists()
    {
        var (world, data, result) = TinyPolicies.Cloned;
        using var reference = result.Policy.CloneFrozen();
        using var catalog = new PolicyCatalog(reference, world.Catalog);
        var pairs = Pairs(catalog, Small, seed: 1);

        var corrections = pairs.Where(p => p.Kind == PreferencePair.Correction).ToArray();
        var playlists = pairs.Where(p => p.Kind == PreferencePair.Playlist).ToArray();
        Assert.NotEmpty(corrections);
        Assert.NotEmpty(playlists);
        Assert.All(pairs, p => Assert.True(p.ChosenUtility >= p.RejectedUtility + Small.MinUtilityGap));
        foreach (var pair in corrections)
        {
            var history = data.Histories.Training.Single(h => h.PatientId == pair.Before.PatientId);
            var logged = history.Steps[pair.Before.Count + pair.SessionSoFar.Count];
            Assert.Equal(logged.TrackId, world.Catalog[pair.Rejected[0]].TrackId);
            Assert.True(PreferencePairBuilder.IsPoor(logged));
            Assert.True(pair.Allowed[pair.Chosen[0]]);
            Assert.DoesNotContain(world.Catalog[pair.Chosen[0]].TrackId, pair.SessionSoFar.Select(s => s.TrackId));
        }
        Assert.All(playlists, p => Assert.Equal(Small.PlaylistLength, p.Chosen.Count));
        Assert.All(playlists, p => Assert.False(p.Chosen.SequenceEqual(p.Rejected)));
    }

    [Fact]
    public void Step_pairs_reject_the_reference_policys_first_choice_for_a_track_the_world_model_rates_higher()
    {
        var (world, _, result) = TinyPolicies.Cloned;
        using var reference = result.Policy.CloneFrozen();
        using var catalog = new PolicyCatalog(reference, world.Catalog);
        var options = Small with { CorrectionPairs = 0, PlaylistPairs = 0, StepPairs = 40, StepCandidates = 12 };
        var pairs = Pairs(catalog, options, seed: 2);

        Assert.NotEmpty(pairs);
        Assert.All(pairs, p => Assert.Equal(PreferencePair.Step, p.Kind));
        foreach (var pair in pairs)
        {
            Assert.True(pair.ChosenUtility >= pair.RejectedUtility + options.MinUtilityGap);
            Assert.NotEqual(pair.Chosen[0], pair.Rejected[0]);
            var inSession = pair.SessionSoFar.Select(s => s.TrackId).ToHashSet();
            var open = pair.Allowed.Select((a, j) => a && !inSession.Contains(world.Catalog[j].TrackId)).ToArray();
            Assert.True(open[pair.Chosen[0]]);
            // The rejected track is the one the reference ranks first where it stands.
            var sequence = PolicySequence.ForProposal(pair.Before, pair.SessionSoFar, pair.Start, reference.Options.MaxHistory);
            using var logp = PolicyScoring.LogProbabilities(reference.Network, [sequence],
                [new PolicyQuery(0, sequence.Tokens - 1, pair.Condition, open)], catalog.ServingKeys());
            Assert.Equal(logp[0].argmax().item<long>(), pair.Rejected[0]);
        }
    }

    [Fact]
    public void A_correction_needs_every_member_to_prefer_it_and_the_chosen_candidate_pays_for_member_disagreement()
    {
        // Three members; candidates 0 and 1, the logged track last. Candidate 0 has the higher mean, but member 2 disagrees.
        double[][] utilities = [[0.90, 0.70, 0.50], [0.90, 0.70, 0.50], [0.40, 0.68, 0.50]];

        Assert.Equal(0, PreferencePairBuilder.PessimisticBest(utilities, 2, penalty: 0));
        Assert.Equal(1, PreferencePairBuilder.PessimisticBest(utilities, 2, penalty: 1));
        Assert.False(PreferencePairBuilder.EveryMemberPrefers(utilities, chosen: 0, rejected: 2, gap: 0.01));
        Assert.True(PreferencePairBuilder.EveryMemberPrefers(utilities, chosen: 1, rejected: 2, gap: 0.01));
        Assert.False(PreferencePairBuilder.EveryMemberPrefers(utilities, chosen: 1, rejected: 2, gap: 0.19));
    }

    [Fact]
    public void Member_agreement_drops_some_corrections_and_adds_none()
    {
        var (world, _, result) = TinyPolicies.Cloned;
        using var reference = result.Policy.CloneFrozen();
        using var catalog = new PolicyCatalog(reference, world.Catalog);
        // The same utility gap for both, so only the members' agreement differs. Over a range of gaps the tiny members
        // disagree on a few corrections at one gap or another (which ones depends on the members' training).
        int Corrections(DpoOptions o) => Pairs(catalog, o, seed: 1).Count;

        var counts = new[] { 0.005, 0.01, 0.02, 0.03, 0.05 }.Select(gap =>
        {
            var options = Small with { PlaylistPairs = 0, CorrectionPairs = 10_000, MinUtilityGap = gap };
            return (All: Corrections(options), Agreed: Corrections(options with { RequireMemberAgreement = true, UncertaintyPenalty = 1 }));
        }).ToArray();

        Assert.All(counts, c => Assert.InRange(c.Agreed, 0, c.All));
        Assert.Contains(counts, c => c.Agreed >= 1 && c.Agreed < c.All);
    }

    [Fact]
    public void Dpo_leaves_the_frozen_reference_unchanged_and_moves_the_policy_toward_the_chosen_side()
    {
        var (world, _, result) = TinyPolicies.Cloned;
        var folder = Directory.CreateTempSubdirectory("amrs-bc-").FullName;
        try
        {
            result.Policy.Save(folder);
            using var reference = PolicyModel.LoadFrozen(folder);
            using var catalog = new PolicyCatalog(reference, world.Catalog);
            var pairs = Pairs(catalog, Small, seed: 2);
            var before = Snapshot(reference);

            var dpo = new DpoTrainer(Small with { Epochs = 3 }).Train(reference, world.Catalog, pairs, pairs, null, TestContext.Current.CancellationToken);
            using var policy = dpo.Policy;

            Assert.True(reference.IsFrozen);
            Assert.All(reference.Network.parameters(), p => Assert.False(p.requires_grad));
            Assert.False(reference.Network.training);
            var after = Snapshot(reference);
            Assert.Equal(before.Count, after.Count);
            for (var i = 0; i < before.Count; i++) Assert.Equal(before[i], after[i]);
            // Loaded again from the BC weights: still identical, so nothing wrote through to the saved reference either.
            using var reloaded = PolicyModel.LoadFrozen(folder);
            Assert.Equal(Snapshot(reloaded), after);

            var moved = Snapshot(policy).Zip(after, (a, b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max()).Max();
            Assert.True(moved > 1e-4, "the DPO policy did not change");
            Assert.True(dpo.ValidationLoss < dpo.InitialValidationLoss, $"DPO loss {dpo.InitialValidationLoss:0.0000} -> {dpo.ValidationLoss:0.0000}");
            Assert.Equal(Math.Log(2), dpo.InitialValidationLoss, 4);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_later_round_continues_from_the_fine_tuned_policy_against_the_same_reference_and_leaves_it_unchanged()
    {
        var (world, _, result) = TinyPolicies.Cloned;
        using var reference = result.Policy.CloneFrozen();
        using var catalog = new PolicyCatalog(reference, world.Catalog);
        var pairs = Pairs(catalog, Small, seed: 2);
        var trainer = new DpoTrainer(Small);

        var firstRound = trainer.Train(reference, world.Catalog, pairs, pairs, null, TestContext.Current.CancellationToken);
        using var first = firstRound.Policy;
        var weights = Snapshot(first);
        var second = trainer.Train(reference, world.Catalog, pairs, pairs, null, TestContext.Current.CancellationToken, from: first);
        using var secondPolicy = second.Policy;

        // The second round starts where the first ended (the loss is measured against the BC reference), not at log 2.
        Assert.Equal(firstRound.ValidationLoss, second.InitialValidationLoss, 5);
        Assert.True(second.InitialValidationLoss < Math.Log(2) - 1e-3);
        Assert.True(second.ValidationLoss < second.InitialValidationLoss);
        Assert.Equal(weights, Snapshot(first));
    }

    [Fact]
    public void Dpo_refuses_a_reference_that_is_not_frozen()
    {
        var (world, _, result) = TinyPolicies.Cloned;
        using var trainable = result.Policy.CloneTrainable();
        Assert.Throws<ArgumentException>(() => new DpoTrainer(Small).Train(trainable, world.Catalog, [], [], null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Sampled_weights_are_valid_and_spread_around_the_mode_defaults()
    {
        var random = new Random(3);
        var draws = Enumerable.Range(0, 400).Select(_ => PreferencePairBuilder.SampleWeights(Amrs.Core.Affect.SessionMode.Sleep, random, 0.5)).ToArray();
        Assert.All(draws, w => Assert.Empty(w.Validate()));
        Assert.Contains(UtilityWeights.PaperDefault, draws);
        Assert.True(draws.Distinct().Count() > 300);
        var defaults = UtilityWeights.DefaultFor(Amrs.Core.Affect.SessionMode.Sleep);
        Assert.InRange(draws.Average(w => w.Arousal / w.Sum), defaults.Arousal / defaults.Sum - 0.15, defaults.Arousal / defaults.Sum + 0.15);
    }

    /// <summary>Preference pairs on the toy world's training patients, with the shared tiny world model.</summary>
    private static IReadOnlyList<PreferencePair> Pairs(PolicyCatalog catalog, DpoOptions options, int seed)
    {
        var data = TinyPolicies.Cloned.Data;
        return new PreferencePairBuilder(WorldModel.Value, new PlaylistProposer(catalog), options)
            .Build(data, data.Histories.Training, seed, null, TestContext.Current.CancellationToken);
    }

    private static List<float[]> Snapshot(PolicyModel model)
    {
        using var noGrad = torch.no_grad();
        return model.Network.parameters().Select(p => p.detach().cpu().data<float>().ToArray()).ToList();
    }
}
