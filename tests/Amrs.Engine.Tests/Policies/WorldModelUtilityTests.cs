using Amrs.Core.Affect;
using Amrs.Core.Utility;
using Amrs.Engine.Episodes;
using Amrs.Engine.Policies;

namespace Amrs.Engine.Tests.Policies;

public sealed class WorldModelUtilityTests
{
    [Fact]
    public void The_score_is_the_core_utility_with_novelty_against_the_list_and_familiarity_from_the_history()
    {
        var world = new PolicyToyWorld(tracks: 10, patients: 2, sessionsPerPatient: 1, steps: 3);
        var weights = new UtilityWeights(0.3, 0.2, 0.1, 0.1, 0.2, 0.1);
        var predicted = new PredictedSignals(0.6, 0.7, 0.5, 0.4);
        var target = new AffectPoint(0.7, 0.3);
        var earlier = world.Catalog.Take(2).ToArray();
        var track = world.Catalog[5];
        var plays = new Dictionary<string, int> { [track.TrackId] = 2 };

        var score = WorldModelUtility.Score(weights, predicted, target, track, earlier, plays);

        var novelty = Math.Min(PlaylistNovelty.Distance(track, earlier[0]), PlaylistNovelty.Distance(track, earlier[1]));
        var expected = (0.3 * (1 - 0.2) + 0.2 * (1 - 0.1) + 0.1 * 0.6 + 0.1 * 0.7 + 0.2 * novelty + 0.1 * (2 / 3.0)) / 1.0;
        Assert.Equal(expected, score, 12);
        Assert.Equal(0, WorldModelUtility.Score(weights with { Valence = 0, Arousal = 0, Engagement = 0, Rating = 0, Familiarity = 0 },
            predicted, target, earlier[0], earlier, plays));
    }

    [Fact]
    public void The_greedy_planner_takes_the_track_of_highest_world_model_utility_first()
    {
        var trained = TinyModels.Trained;
        var history = trained.Data.Validation[0];
        var patient = trained.World.Patients.Single(p => p.PatientId == history.PatientId);
        var profile = UtilityProfile.DefaultFor(SessionMode.Focus) with { PlaylistLength = 3, FollowIsoPath = false };
        using var planner = new GreedyWorldModelPlanner(trained.Ensemble, trained.World.Catalog);

        var plan = planner.Plan(new ProposalRequest(patient, profile, history));

        using var candidates = trained.Ensemble.PrepareCandidates(trained.World.Catalog);
        var predictions = trained.Ensemble.Score(history, new StepContext(SessionMode.Focus, profile.Target, true, 0), candidates);
        var plays = WorldModelUtility.Plays(history.Steps);
        var best = trained.World.Catalog
            .Select((t, i) => (t, u: TrackConstraints.IsAllowed(t, patient, profile)
                ? WorldModelUtility.Score(profile.Weights, WorldModelUtility.Signals(predictions[i]), profile.Target, t, [], plays)
                : double.NegativeInfinity))
            .MaxBy(x => x.u);
        Assert.Equal(best.t.TrackId, plan.TrackIds[0]);
        Assert.Equal(best.u, plan.StepScores[0], 9);
        Assert.Equal(3, plan.TrackIds.Distinct().Count());
        Assert.True(plan.Decoding.IsDeterministic);
    }
}
