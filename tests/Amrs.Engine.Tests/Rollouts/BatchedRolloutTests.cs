using Amrs.Engine.Episodes;
using Amrs.Engine.Rollouts;

namespace Amrs.Engine.Tests.Rollouts;

/// <summary>Rollouts of several requests in one batch give each request exactly what it gets alone.</summary>
public sealed class BatchedRolloutTests
{
    [Fact]
    public void Each_rollout_of_a_batch_equals_the_same_rollout_alone_also_for_histories_of_different_lengths()
    {
        var trained = TinyModels.Trained;
        var engine = new RolloutEngine(trained.Ensemble);
        var catalog = trained.World.Catalog;
        var requests = trained.Data.Validation.Take(4)
            .Select((history, i) => (History: i == 3 ? history with { Steps = history.Steps.Take(3).ToArray() } : history, Seed: 10 + i, Skip: 5 * i))
            .ToArray();
        var playlists = requests.Select(r => engine.Ensemble.PrepareCandidates(catalog.Skip(r.Skip).Take(4).ToArray())).ToArray();
        try
        {
            var batch = requests.Select((r, i) => new PlaylistRollout(
                new RolloutRequest(r.History, r.History.Steps[^1].Context with { StartsSession = true, PositionInSession = 0 }, Trajectories: 7, Seed: r.Seed),
                playlists[i])).ToArray();

            var together = engine.RolloutMany(batch);
            var alone = batch.Select(b => engine.Rollout(b.Request, b.Playlist)).ToArray();

            Assert.Equal(batch.Length, together.Count);
            for (var i = 0; i < batch.Length; i++)
            {
                Assert.Equal(playlists[i].TrackIds, together[i].Steps.Select(s => s.TrackId));
                var expected = Outcomes(alone[i]);
                var actual = Outcomes(together[i]);
                Assert.Equal(expected.Length, actual.Length);
                for (var v = 0; v < expected.Length; v++) Assert.Equal(expected[v], actual[v], tolerance: 1e-5f);
            }
            // Different patients and seeds really are different rollouts.
            Assert.NotEqual(Outcomes(together[0]), Outcomes(together[1]));
        }
        finally
        {
            foreach (var playlist in playlists) playlist.Dispose();
        }
    }

    [Fact]
    public void Rollouts_from_one_history_object_encode_it_once_and_equal_rollouts_from_copies_of_it()
    {
        var trained = TinyModels.Trained;
        var engine = new RolloutEngine(trained.Ensemble);
        var history = trained.Data.Validation[0];
        var start = history.Steps[^1].Context with { StartsSession = true, PositionInSession = 0 };
        using var proposed = engine.Ensemble.PrepareCandidates(trained.World.Catalog.Take(4).ToArray());
        using var comparison = engine.Ensemble.PrepareCandidates(trained.World.Catalog.Skip(4).Take(4).ToArray());
        PlaylistRollout[] Batch(EncodedHistory second) =>
        [
            new(new RolloutRequest(history, start, Trajectories: 7, Seed: 1), proposed),
            new(new RolloutRequest(second, start, Trajectories: 7, Seed: 2), comparison),
        ];

        // A preview's playlist and its comparison share the history object; separate copies must give the same.
        var shared = engine.RolloutMany(Batch(history));
        var copied = engine.RolloutMany(Batch(history with { }));

        for (var i = 0; i < 2; i++)
        {
            var (expected, actual) = (Outcomes(copied[i]), Outcomes(shared[i]));
            Assert.Equal(expected.Length, actual.Length);
            for (var v = 0; v < expected.Length; v++) Assert.Equal(expected[v], actual[v], tolerance: 1e-5f);
        }
        Assert.NotEqual(Outcomes(shared[0]), Outcomes(shared[1]));
    }

    private static float[] Outcomes(RolloutResult result) => result.Trajectories.SelectMany(t => t).SelectMany(s => s.Outcomes).ToArray();

    [Fact]
    public void An_empty_batch_gives_no_results()
    {
        Assert.Empty(new RolloutEngine(TinyModels.Trained.Ensemble).RolloutMany([]));
    }
}
