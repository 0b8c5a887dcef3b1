using Amrs.Engine.Episodes;
using Amrs.Engine.Features;
using Amrs.Engine.Rollouts;
using Amrs.Engine.WorldModels;
using TorchSharp;

namespace Amrs.Engine.Tests.Rollouts;

public sealed class RolloutEngineTests
{
    private static (RolloutEngine Engine, EncodedHistory History, StepContext Start) Setup()
    {
        var trained = TinyModels.Trained;
        var history = trained.Data.Validation[0];
        return (new RolloutEngine(trained.Ensemble), history, history.Steps[^1].Context with { StartsSession = true, PositionInSession = 0 });
    }

    [Fact]
    public void A_playlist_rollout_has_one_band_per_track_and_ordered_quantiles_within_range()
    {
        var (engine, history, start) = Setup();
        using var playlist = engine.Ensemble.PrepareCandidates(TinyModels.Trained.World.Catalog.Take(5).ToArray());

        var result = engine.Rollout(new RolloutRequest(history, start, Trajectories: 10, Seed: 3), playlist);

        Assert.Equal(5, result.Steps.Count);
        Assert.Equal(10, result.Trajectories.Count);
        Assert.All(result.Trajectories, t => Assert.Equal(playlist.TrackIds, t.Select(s => s.TrackId)));
        Assert.Equal(playlist.TrackIds, result.Steps.Select(s => s.TrackId));
        foreach (var step in result.Steps)
            for (var signal = 0; signal < Signals.Count; signal++)
            {
                var band = step[signal];
                Assert.True(0 <= band.P10 && band.P10 <= band.P50 && band.P50 <= band.P90 && band.P90 <= 1, $"{band}");
                Assert.InRange(band.Mean, 0, 1);
            }
        Assert.All(result.Trajectories.SelectMany(t => t), s => Assert.Contains(s.Outcomes[Signals.Rating], new[] { 0f, 1f }));
        // Sampling is not degenerate: trajectories differ.
        Assert.Contains(result.Steps, s => s.Valence.P90 > s.Valence.P10);
    }

    [Fact]
    public void Rollouts_with_the_same_seed_are_identical_and_a_different_seed_differs()
    {
        var (engine, history, start) = Setup();
        using var playlist = engine.Ensemble.PrepareCandidates(TinyModels.Trained.World.Catalog.Skip(10).Take(4).ToArray());

        float[] Run(int seed) => engine.Rollout(new RolloutRequest(history, start, Trajectories: 8, Seed: seed), playlist)
            .Trajectories.SelectMany(t => t).SelectMany(s => s.Outcomes).ToArray();

        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }

    [Fact]
    public void A_policy_chooses_each_step_from_the_simulated_outcomes_so_far()
    {
        var (engine, history, start) = Setup();
        var catalog = TinyModels.Trained.World.Catalog.Take(6).ToArray();
        using var candidates = engine.Ensemble.PrepareCandidates(catalog);
        var seenSteps = new List<int>();

        // Trajectory i starts with candidate i mod 6, then moves on by one if the last engagement was low.
        var result = engine.Rollout(new RolloutRequest(history, start, Trajectories: 7, Seed: 1), candidates, steps: 3, input =>
        {
            seenSteps.Add(input.Step);
            Assert.All(input.SoFar, t => Assert.Equal(input.Step, t.Count));
            return input.SoFar.Select((t, i) => t.Count == 0
                ? i % 6
                : (t[^1].CandidateIndex + (t[^1].Outcomes[Signals.Engagement] < 0.5f ? 1 : 0)) % 6).ToArray();
        });

        Assert.Equal([0, 1, 2], seenSteps);
        Assert.Null(result.Steps[0].TrackId);
        Assert.Equal(catalog[6 % 6].TrackId, result.Trajectories[6][0].TrackId);
        Assert.All(result.Trajectories, t => Assert.Equal(3, t.Count));
    }

    [Fact]
    public void Scores_and_rollouts_read_the_patients_record_of_a_track_heard_before_and_of_a_repeat_simulated()
    {
        var trained = TinyModels.Trained;
        var history = trained.Data.Validation[0];
        var start = history.Steps[^1].Context with { StartsSession = true, PositionInSession = 0 };
        var folder = Directory.CreateTempSubdirectory("amrs-record-").FullName;
        try
        {
            lock (trained.Ensemble.Gate) trained.Ensemble.Save(folder);
            // Two copies of the trained model: one whose record map is cut, one whose map lifts the engagement of a
            // track heard before by a lot (their heads, which also read the record, are the same).
            using var blind = WorldModelEnsemble.Load(folder);
            using var remembering = WorldModelEnsemble.Load(folder);
            SetRecordMap(blind, heardLift: 0);
            SetRecordMap(remembering, heardLift: 5);
            var heard = trained.World.Catalog.First(t => t.TrackId == history.Steps[0].TrackId);
            var unheard = trained.World.Catalog.First(t => history.Steps.All(s => s.TrackId != t.TrackId));

            float[] Engagements(WorldModelEnsemble ensemble, params Amrs.Core.Catalog.Track[] playlist)
            {
                using var candidates = ensemble.PrepareCandidates(playlist);
                return new RolloutEngine(ensemble).Rollout(new RolloutRequest(history, start, Trajectories: 10, Seed: 4), candidates)
                    .Trajectories.SelectMany(t => t).Select(s => s.Outcomes[Signals.Engagement]).ToArray();
            }

            double ScoredEngagement(WorldModelEnsemble ensemble, Amrs.Core.Catalog.Track track)
            {
                using var candidates = ensemble.PrepareCandidates([track]);
                return ensemble.Score(history, start, candidates)[0].Engagement.Mean;
            }

            Assert.Equal(ScoredEngagement(blind, unheard), ScoredEngagement(remembering, unheard));
            Assert.True(ScoredEngagement(remembering, heard) > ScoredEngagement(blind, heard) + 0.05);
            // A track never heard: the map has nothing to read, both copies simulate the same.
            Assert.Equal(Engagements(blind, unheard), Engagements(remembering, unheard));
            // A track from the history: the remembering copy engages more at the first step.
            Assert.True(Engagements(remembering, heard).Average() > Engagements(blind, heard).Average() + 0.05);
            // The unheard track played twice: the second play reads the first, simulated one.
            var twiceBlind = Engagements(blind, unheard, unheard);
            var twiceRemembering = Engagements(remembering, unheard, unheard);
            Assert.Equal(twiceBlind.Where((_, i) => i % 2 == 0), twiceRemembering.Where((_, i) => i % 2 == 0));
            Assert.True(twiceRemembering.Where((_, i) => i % 2 == 1).Average() > twiceBlind.Where((_, i) => i % 2 == 1).Average() + 0.05);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Sets every member's record map to lift the engagement logit of a track heard before by <paramref name="heardLift"/>.</summary>
    private static void SetRecordMap(WorldModelEnsemble ensemble, float heardLift)
    {
        using var noGrad = torch.no_grad();
        foreach (var member in ensemble.Members)
        {
            var map = member.named_parameters().Single(p => p.name.Contains("lookup", StringComparison.Ordinal)).parameter;
            map[torch.TensorIndex.Colon, torch.TensorIndex.Slice(member.RecordColumn)] = torch.tensor(0f);
            map[PredictionLayout.EngagementLogit, member.RecordColumn] = torch.tensor(heardLift);
        }
    }

    [Fact]
    public void With_learned_positions_a_long_history_is_cut_so_the_whole_rollout_fits_the_trained_length()
    {
        var world = new ToyWorld(patients: 2, sessionsPerPatient: 5, stepsPerSession: 8);
        var spec = FeatureSpec.Fit(world.Catalog, world.Patients);
        var vocabulary = new TrackVocabulary(world.Catalog.Select(t => t.TrackId));
        var options = TinyModels.Options with { UsePositionalEncoding = true };
        var encoder = new EpisodeEncoder(spec, vocabulary, world.Catalog);
        var history = encoder.EncodeHistory(world.Patients[0], world.Sessions);
        Assert.True(history.Count > options.MaxHistory);
        torch.manual_seed(9);
        using var ensemble = new WorldModelEnsemble(spec, vocabulary, options,
            [new WorldModel(options, new TokenLayout(encoder.Tracks.Size, encoder.PatientContextSize), vocabulary.Rows)]);
        using var playlist = ensemble.PrepareCandidates(world.Catalog.Take(6).ToArray());

        var result = new RolloutEngine(ensemble).Rollout(new RolloutRequest(history, history.Steps[^1].Context.Next(), 4), playlist);
        var scores = ensemble.Score(history, history.Steps[^1].Context.Next(), playlist);

        Assert.Equal(6, result.Steps.Count);
        Assert.All(result.Steps, s => Assert.True(double.IsFinite(s.Valence.Mean)));
        Assert.Equal(6, scores.Count);
    }
}
