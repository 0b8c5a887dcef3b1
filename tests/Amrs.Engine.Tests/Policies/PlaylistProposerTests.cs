using Amrs.Core.Affect;
using Amrs.Core.Ethics;
using Amrs.Core.Patients;
using Amrs.Core.Utility;
using Amrs.Engine.Policies;
using Amrs.Engine.Store;

namespace Amrs.Engine.Tests.Policies;

public sealed class PlaylistProposerTests
{
    [Fact]
    public void A_care_proposal_is_greedy_and_the_same_inputs_give_the_same_list_also_after_a_store_round_trip()
    {
        var (world, data, result) = TinyPolicies.Cloned;
        var history = data.Histories.Validation[0];
        var patient = data.Patients[history.PatientId];
        var profile = UtilityProfile.DefaultFor(SessionMode.Calm) with { PlaylistLength = 8 };
        using var catalog = new PolicyCatalog(result.Policy, world.Catalog);
        var proposer = new PlaylistProposer(catalog);

        var first = proposer.Propose(new ProposalRequest(patient, profile, history));
        var again = proposer.Propose(new ProposalRequest(patient, profile, history));

        Assert.Equal(DecodingSettings.Greedy, first.Decoding);
        Assert.True(first.Decoding.IsDeterministic);
        Assert.False(first.ForSimulationOnly);
        Assert.Equal(8, first.TrackIds.Count);
        Assert.Equal(first.TrackIds.Count, first.TrackIds.Distinct().Count());
        Assert.Equal(first.TrackIds, again.TrackIds);

        var root = Path.Combine(Path.GetTempPath(), "amrs-policy-store-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = new ModelStore(root);
            var card = store.SavePolicy(result.Policy, new PolicyProvenance(PolicyStore.BehaviourCloningKind, "toy"), TestContext.Current.CancellationToken);
            var (loaded, loadedCard) = store.LoadPolicy(card.Id);
            using (loaded)
            {
                using var loadedCatalog = new PolicyCatalog(loaded, world.Catalog);
                var reproduced = new PlaylistProposer(loadedCatalog).Propose(new ProposalRequest(patient, profile, history));
                Assert.Equal(first.TrackIds, reproduced.TrackIds);
                Assert.Equal("bc-policy", loadedCard.Kind);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Proposals_decoded_together_equal_each_proposal_decoded_alone()
    {
        var (world, data, result) = TinyPolicies.Cloned;
        using var catalog = new PolicyCatalog(result.Policy, world.Catalog);
        var proposer = new PlaylistProposer(catalog);
        SessionMode[] modes = [SessionMode.Calm, SessionMode.Energize, SessionMode.Sleep, SessionMode.Focus];
        var requests = data.Histories.Validation.Take(4).Select((history, i) => new ProposalRequest(
            data.Patients[history.PatientId],
            UtilityProfile.DefaultFor(modes[i]) with { PlaylistLength = 3 + i },
            i == 2 ? history with { Steps = history.Steps.Take(2).ToArray() } : history)).ToArray();

        var together = proposer.ProposeMany(requests);
        var alone = requests.Select(proposer.Propose).ToArray();

        Assert.Equal(requests.Length, together.Count);
        for (var i = 0; i < requests.Length; i++)
        {
            Assert.Equal(alone[i].TrackIds, together[i].TrackIds);
            Assert.Equal(3 + i, together[i].TrackIds.Count);
            Assert.Equal(alone[i].StepScores, together[i].StepScores, (a, b) => Math.Abs(a - b) < 1e-5);
        }
    }

    [Fact]
    public void The_mode_and_target_the_policy_is_conditioned_on_steer_its_proposal()
    {
        var (world, data, result) = TinyPolicies.Cloned;
        var history = data.Histories.Validation[1];
        var patient = data.Patients[history.PatientId];
        using var catalog = new PolicyCatalog(result.Policy, world.Catalog);
        var proposer = new PlaylistProposer(catalog);
        var energize = proposer.Propose(new ProposalRequest(patient, UtilityProfile.DefaultFor(SessionMode.Energize) with { PlaylistLength = 5 }, history));
        // Clinical has no arousal ceiling, so only the conditioning (target, weights) can make the difference.
        var clinical = proposer.Propose(new ProposalRequest(patient, UtilityProfile.DefaultFor(SessionMode.Clinical) with { PlaylistLength = 5 }, history));

        double MeanArousal(PlaylistProposal p) => p.TrackIds.Average(id => world.Catalog.Single(t => t.TrackId == id).Arousal);
        Assert.True(MeanArousal(energize) > MeanArousal(clinical) + 0.2, $"energize {MeanArousal(energize):0.00}, clinical {MeanArousal(clinical):0.00}");
    }

    [Fact]
    public void Sampling_is_marked_for_simulation_only_and_is_reproducible_for_a_seed()
    {
        var (world, data, result) = TinyPolicies.Cloned;
        var history = data.Histories.Validation[0];
        var patient = data.Patients[history.PatientId];
        var profile = UtilityProfile.DefaultFor(SessionMode.Focus) with { PlaylistLength = 6 };
        using var catalog = new PolicyCatalog(result.Policy, world.Catalog);
        var proposer = new PlaylistProposer(catalog);

        var a = proposer.Sample(new ProposalRequest(patient, profile, history), seed: 4);
        var b = proposer.Sample(new ProposalRequest(patient, profile, history), seed: 4);
        var others = Enumerable.Range(10, 5).Select(s => proposer.Sample(new ProposalRequest(patient, profile, history), s).TrackIds).ToArray();

        Assert.True(a.ForSimulationOnly);
        Assert.False(a.Decoding.IsDeterministic);
        Assert.Equal(a.TrackIds, b.TrackIds);
        Assert.Contains(others, o => !o.SequenceEqual(a.TrackIds));
    }

    [Fact]
    public void Decoded_playlists_never_break_a_hard_constraint_for_random_patients_profiles_and_weights()
    {
        var (world, data, _) = TinyPolicies.Cloned;
        using var policy = TinyPolicies.Untrained(data, seed: 9);
        using var catalog = new PolicyCatalog(policy, world.Catalog);
        var proposer = new PlaylistProposer(catalog);
        var random = new Random(2024);
        var history = data.Histories.Training[0];
        for (var i = 0; i < 150; i++)
        {
            var excluded = PolicyToyWorld.Genres.Where(_ => random.NextDouble() < 0.3).ToArray();
            var patient = new Patient($"r{i}", 1950, CareSetting.Clinical, CognitiveStage.Mild, [], random.NextDouble() < 0.5 ? 0.3 + 0.6 * random.NextDouble() : null,
                excluded, true);
            var mode = (SessionMode)random.Next(5);
            var target = ModeTargets.DefaultTarget(mode);
            var weights = UtilityWeights.FromArray(Enumerable.Range(0, 6).Select(_ => random.NextDouble()).ToArray());
            var profile = new UtilityProfile(mode, target, weights, random.NextDouble() < 0.5,
                random.NextDouble() < 0.5 ? Math.Max(target.Arousal, random.NextDouble()) : null,
                random.NextDouble() < 0.3 ? [PolicyToyWorld.Genres[random.Next(4)]] : null, 1 + random.Next(15));
            var sampled = random.NextDouble() < 0.3;
            var proposal = sampled
                ? proposer.Sample(new ProposalRequest(patient, profile, history), random.Next())
                : proposer.Propose(new ProposalRequest(patient, profile, history));

            var allowedCount = world.Catalog.Count(t => TrackConstraints.IsAllowed(t, patient, profile));
            Assert.Equal(Math.Min(profile.PlaylistLength, allowedCount), proposal.TrackIds.Count);
            Assert.Equal(proposal.TrackIds.Count, proposal.TrackIds.Distinct().Count());
            foreach (var id in proposal.TrackIds)
                Assert.Null(TrackConstraints.Violation(world.Catalog.Single(t => t.TrackId == id), patient, profile));
        }
    }

    [Fact]
    public void An_invalid_profile_is_refused_before_decoding()
    {
        var (world, data, result) = TinyPolicies.Cloned;
        using var catalog = new PolicyCatalog(result.Policy, world.Catalog);
        var history = data.Histories.Validation[0];
        var profile = UtilityProfile.DefaultFor(SessionMode.Calm) with { PlaylistLength = 0 };
        var error = Assert.Throws<ArgumentException>(() =>
            new PlaylistProposer(catalog).Propose(new ProposalRequest(data.Patients[history.PatientId], profile, history)));
        Assert.Contains("Playlist length", error.Message);
    }
}
