using Amrs.Core.Catalog;
using Amrs.Engine.Episodes;
using Amrs.Engine.WorldModels;
using TorchSharp;

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
        // A clause that reads after the clinic's own verdict ("Outside what the model has seen: ...").
        Assert.StartsWith("the tracks are unlike the music the model was trained on", outside.Reason);
        Assert.Contains("8 of 8 tracks were never played", outside.Reason);
        Assert.Equal(0, inside.Components.UnseenTracks);
    }

    [Fact]
    public void Songs_known_only_by_title_artist_and_affect_as_imported_real_songs_are_flagged()
    {
        var trained = TinyModels.Trained;
        var ensemble = trained.Ensemble;
        var history = trained.Data.Training[0];
        // The catalog's own affect, but nothing else known: what an import of a rated song list makes.
        using var imported = ensemble.PrepareCandidates(trained.World.Catalog.Take(8)
            .Select((t, i) => new Track($"imported-{i}", t.Title, t.Artist, t.Valence, t.Arousal)).ToArray());

        var assessment = ensemble.AssessPlaylist(history, history.Steps[^1].Context.Next(), imported);

        Assert.True(assessment.IsOutOfDistribution, $"{assessment}");
        Assert.Contains("tracks are unlike the music the model was trained on", assessment.Reason);
    }

    [Fact]
    public void A_playlist_of_mostly_unheard_tracks_is_flagged_even_when_their_descriptors_are_ordinary()
    {
        var trained = TinyModels.Trained;
        var ensemble = trained.Ensemble;
        var history = trained.Data.Training[0];
        var next = history.Steps[^1].Context.Next();
        var tracks = trained.World.Catalog.Take(8).ToArray();
        // The same music under new ids: what another catalog of the same kind of music looks like to the model.
        Track[] Renamed(int count) => tracks.Select((t, i) => i < count ? t with { TrackId = $"elsewhere-{t.TrackId}" } : t).ToArray();
        using var mostlyUnheard = ensemble.PrepareCandidates(Renamed(5));
        using var halfUnheard = ensemble.PrepareCandidates(Renamed(4));

        var mostly = ensemble.AssessPlaylist(history, next, mostlyUnheard);
        var half = ensemble.AssessPlaylist(history, next, halfUnheard);

        Assert.Equal(5, mostly.Components.UnseenTracks);
        Assert.True(mostly.IsOutOfDistribution, $"{mostly}");
        Assert.Contains("most of the tracks were never played to a patient", mostly.Reason);
        // Half is not most: the verdict is the score's alone.
        Assert.Equal(4, half.Components.UnseenTracks);
        Assert.Equal(half.Score > half.Threshold, half.IsOutOfDistribution);
        Assert.DoesNotContain("most of the tracks were never played", half.Reason);
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
            var queries = playlists.Select(p => new CandidateQuery(p.History, p.History.Steps[^1].Context.Next(), p.Playlist))
                .Append(new CandidateQuery(playlists[0].History, playlists[0].History.Steps[^1].Context.Next(), playlists[1].Playlist)) // one history, two playlists: encoded once
                .ToArray();

            var together = ensemble.AssessPlaylists(queries);
            var alone = queries.Select(q => ensemble.AssessPlaylist(q.History, q.Next, q.Candidates)).ToArray();

            for (var i = 0; i < queries.Length; i++)
            {
                Assert.Equal(alone[i].Score, together[i].Score, 5);
                Assert.Equal(alone[i].IsOutOfDistribution, together[i].IsOutOfDistribution);
                Assert.Equal(alone[i].Components.UnseenTracks, together[i].Components.UnseenTracks);
                Assert.Equal(alone[i].Components.Surprise, together[i].Components.Surprise, 5);
            }
        }
        finally
        {
            foreach (var (_, playlist) in playlists) playlist.Dispose();
        }
    }

    [Fact]
    public void A_patient_who_responds_unlike_the_training_patients_is_flagged_by_the_surprise_of_their_history()
    {
        var trained = TinyModels.Trained;
        var ensemble = trained.Ensemble;
        var history = trained.Data.Validation.MaxBy(h => h.Count)!;
        // The same record, tracks and sessions, but every observed response mirrored (1 - x): nothing on paper differs.
        var mirrored = history with
        {
            Steps = history.Steps.Select(s => s with { Outcomes = s.Outcomes.Select(o => 1 - o).ToArray() }).ToArray(),
        };
        var next = history.Steps[^1].Context.Next();
        using var playlist = ensemble.PrepareCandidates(trained.World.Catalog.Take(6).ToArray());

        var ordinary = ensemble.AssessPlaylist(history, next, playlist);
        var unlike = ensemble.AssessPlaylist(mirrored, next, playlist);

        Assert.True(unlike.Components.Surprise > 2 * ordinary.Components.Surprise,
            $"mirrored {unlike.Components.Surprise:0.00} vs own {ordinary.Components.Surprise:0.00}");
        Assert.Equal(ordinary.Components.PatientDistance, unlike.Components.PatientDistance, 6);
        Assert.Equal(ordinary.Components.SurpriseObservations, unlike.Components.SurpriseObservations);
        Assert.True(ordinary.Components.SurpriseObservations > 0);
        Assert.False(ordinary.IsOutOfDistribution, $"{ordinary}");
        Assert.True(unlike.IsOutOfDistribution, $"{unlike}");
        Assert.Contains("recorded responses were predicted poorly", unlike.Reason);
    }

    [Fact]
    public void Surprise_on_a_known_case_equals_the_hand_computed_value()
    {
        // Two members, one step with valence 0.9 observed (engagement and arousal not observed).
        // Valence means sigmoid(0) = 0.5 and sigmoid(ln 3) = 0.75; noise variances e^-2 and e^-3.
        var raw = new float[2 * 7];
        raw[PredictionLayout.ValenceLogit] = 0f;
        raw[PredictionLayout.ValenceLogVariance] = -2f;
        raw[7 + PredictionLayout.ValenceLogit] = (float)Math.Log(3);
        raw[7 + PredictionLayout.ValenceLogVariance] = -3f;
        using var memberRaw = torch.tensor(raw, [2, 1, 7]);
        var step = new EncodedStep("t", 0, [0.5f, 0.5f], new StepContext(Amrs.Core.Affect.SessionMode.Calm, new(0.3, 0.2), true, 0),
            Outcomes: [0.7f, 0, 0.9f, 0], Observed: [0, 0, 1, 0], SessionId: "s", SessionOrdinal: 0);

        var (surprise, observations) = OutOfDistribution.Surprise([step], memberRaw);

        var mean = (0.5 + 0.75) / 2;
        var variance = 0.125 * 0.125 + (Math.Exp(-2) + Math.Exp(-3)) / 2; // spread of the means (biased) + mean noise
        Assert.Equal(1, observations);
        Assert.Equal((0.9 - mean) * (0.9 - mean) / variance, surprise, 4);
        Assert.Equal((1.0, 0), OutOfDistribution.Surprise([], null));
    }

    [Fact]
    public void Mahalanobis_distance_on_a_known_case_equals_the_hand_computed_value()
    {
        // Precision diag(4, 1): distance of (1, 2) from (0, 0) is sqrt(4 * 1 + 1 * 4) = sqrt(8).
        var distance = OutOfDistribution.Mahalanobis([1f, 2f], [0f, 0f], [4f, 0f, 0f, 1f]);
        Assert.Equal(Math.Sqrt(8), distance, 6);
    }
}
