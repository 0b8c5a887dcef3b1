using Amrs.Cli.Evaluation.WorldModel;
using Amrs.Engine.Episodes;
using Amrs.Engine.WorldModels;

namespace Amrs.Cli.Tests.WorldModels;

public sealed class RealSongsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("amrs-real-songs-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Songs_become_tracks_with_only_title_artist_and_affect_known()
    {
        var tracks = RealSongs.Load(Write("""[{"id": 1, "title": "Good Drank", "artist": "2 Chainz", "v": 0.575, "a": 0.4}, {"id": 4, "title": "X", "artist": "Y", "v": 0.2, "a": 0.15}]"""));

        Assert.Equal(["real:1", "real:4"], tracks.Select(t => t.TrackId));
        Assert.Equal(("Good Drank", "2 Chainz", 0.575, 0.4), (tracks[0].Title, tracks[0].Artist, tracks[0].Valence, tracks[0].Arousal));
        Assert.All(tracks, t => Assert.True(t.Year is null && t.Genre is null && t.Audio is null && t.DurationSeconds is null));
    }

    [Theory]
    [InlineData("""{"id": 1}""", "must hold a JSON array")]
    [InlineData("""[{"id": 1, "title": "A", "artist": "B", "v": 1.3, "a": 0.4}]""", "song 0 (id 1): 'v' is 1.3, outside 0..1")]
    [InlineData("""[{"id": 1, "title": "A", "artist": "B", "v": 0.5, "a": 0.4}, {"id": 2, "title": "C", "v": 0.5, "a": 0.4}]""", "song 1 (id 2): 'artist' is missing")]
    [InlineData("""[{"id": 1, "title": "A", "artist": "B", "v": "high", "a": 0.4}]""", "'v' must be a number")]
    [InlineData("""[{"id": 1, "title": "A", "artist": "B", "v": 0.5, "a": 0.4}, {"id": 1, "title": "A", "artist": "B", "v": 0.5, "a": 0.4}]""", "the id is used twice")]
    [InlineData("""[{"id": 1, "title": "A" """, "is not valid JSON")]
    [InlineData("[]", "holds no songs")]
    public void A_bad_file_is_refused_saying_what_is_wrong_and_where(string json, string message)
    {
        var path = Write(json);
        var error = Assert.Throws<InvalidDataException>(() => RealSongs.Load(path));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_preview_from_real_songs_follows_the_logged_affect_without_repeating_a_song()
    {
        var songs = RealSongs.Load(Write("""
            [{"id": 1, "title": "Low", "artist": "A", "v": 0.1, "a": 0.1}, {"id": 2, "title": "Low too", "artist": "A", "v": 0.15, "a": 0.1},
             {"id": 3, "title": "High", "artist": "B", "v": 0.9, "a": 0.9}]
            """));
        EncodedStep Step(float valence, float arousal) => new("t", 0, [valence, arousal], new StepContext(Amrs.Core.Affect.SessionMode.Calm, new(0.3, 0.2), true, 0),
            [0, 0, 0, 0], [0, 0, 0, 0], "s", 0);
        var probe = new OodProbe(new EncodedHistory("p", [], []), new StepContext(Amrs.Core.Affect.SessionMode.Calm, new(0.3, 0.2), true, 0),
            [Step(0.1f, 0.1f), Step(0.1f, 0.1f), Step(0.8f, 0.8f)]);

        var playlist = OodRates.NearestSongs(songs)(probe);

        Assert.Equal(["real:1", "real:2", "real:3"], playlist.Select(t => t.TrackId));
    }
}
