using Amrs.Core.Catalog;
using Amrs.Engine.WorldModels;

namespace Amrs.Engine.Tests.WorldModels;

public sealed class OutOfDistributionTests
{
    [Fact]
    public void Strange_tracks_score_higher_than_familiar_ones_and_are_flagged_in_words()
    {
        var trained = TinyModels.Trained;
        var ensemble = trained.Ensemble;
        Assert.NotNull(ensemble.Ood);
        // A training patient with tracks from the training catalog is in distribution by construction.
        var history = trained.Data.Training[0];
        var next = history.Steps[^1].Context.Next();
        using var familiar = ensemble.PrepareCandidates(trained.World.Catalog.Take(8).ToArray());
        using var strange = ensemble.PrepareCandidates(Enumerable.Range(0, 8).Select(i => new Track(
            $"new-{i}", "Noise", "Nobody", 0.5, 0.5, Year: 2090, Genre: "harsh noise", DurationSeconds: 3000,
            Audio: new AudioDescriptors(Energy: 3, Tempo: 400, Acousticness: -2, Loudness: 25, Mode: 1))).ToArray());

        var inside = ensemble.AssessPlaylist(history, next, familiar);
        var outside = ensemble.AssessPlaylist(history, next, strange);

        Assert.True(outside.Score > inside.Score, $"strange {outside.Score:0.00} vs familiar {inside.Score:0.00}");
        Assert.False(inside.IsOutOfDistribution, $"{inside}");
        Assert.True(outside.IsOutOfDistribution);
        Assert.Contains("tracks are unlike the music the model was trained on", outside.Reason);
        Assert.Contains("8 of 8 tracks were never played", outside.Reason);
        Assert.Equal(0, inside.Components.UnseenTracks);
    }

    [Fact]
    public void Playlists_assessed_together_get_the_scores_they_get_alone()
    {
        var trained = TinyModels.Trained;
        var ensemble = trained.Ensemble;
        var playlists = trained.Data.Validation.Take(4).Select((history, i) => (
            History: i == 3 ? history with { Steps = history.Steps.Take(2).ToArray() } : history,
            Playlist: ensemble.PrepareCandidates(trained.World.Catalog.Skip(6 * i).Take(5).ToArray()))).ToArray();
        try
        {
            var queries = playlists.Select(p => new CandidateQuery(p.History, p.History.Steps[^1].Context.Next(), p.Playlist)).ToArray();

            var together = ensemble.AssessPlaylists(queries);
            var alone = queries.Select(q => ensemble.AssessPlaylist(q.History, q.Next, q.Candidates)).ToArray();

            for (var i = 0; i < queries.Length; i++)
            {
                Assert.Equal(alone[i].Score, together[i].Score, 5);
                Assert.Equal(alone[i].IsOutOfDistribution, together[i].IsOutOfDistribution);
                Assert.Equal(alone[i].Components.UnseenTracks, together[i].Components.UnseenTracks);
            }
        }
        finally
        {
            foreach (var (_, playlist) in playlists) playlist.Dispose();
        }
    }

    [Fact]
    public void Mahalanobis_distance_on_a_known_case_equals_the_hand_computed_value()
    {
        // Precision diag(4, 1): distance of (1, 2) from (0, 0) is sqrt(4 * 1 + 1 * 4) = sqrt(8).
        var distance = OutOfDistribution.Mahalanobis([1f, 2f], [0f, 0f], [4f, 0f, 0f, 1f]);
        Assert.Equal(Math.Sqrt(8), distance, 6);
    }
}
