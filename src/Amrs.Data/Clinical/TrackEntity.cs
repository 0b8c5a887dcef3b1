using Amrs.Core.Catalog;

namespace Amrs.Data.Clinical;

/// <summary>A catalog track as stored. Optional descriptors stay null when unknown.</summary>
public sealed class TrackEntity
{
    public required string TrackId { get; set; }
    public required string Title { get; set; }
    public required string Artist { get; set; }
    public double Valence { get; set; }
    public double Arousal { get; set; }
    public int? Year { get; set; }
    public string? Genre { get; set; }
    public double? DurationSeconds { get; set; }
    public double? Energy { get; set; }
    public double? Tempo { get; set; }
    public double? Acousticness { get; set; }
    public double? Instrumentalness { get; set; }
    public double? Danceability { get; set; }
    public double? Loudness { get; set; }
    public int? Mode { get; set; }

    public Track ToDomain()
    {
        var audio = new AudioDescriptors(Energy, Tempo, Acousticness, Instrumentalness, Danceability, Loudness, Mode);
        return new Track(TrackId, Title, Artist, Valence, Arousal, Year, Genre, DurationSeconds,
            audio == AudioDescriptors.Unknown ? null : audio);
    }

    public static TrackEntity From(Track track)
    {
        var audio = track.AudioOrUnknown;
        return new TrackEntity
        {
            TrackId = track.TrackId,
            Title = track.Title,
            Artist = track.Artist,
            Valence = track.Valence,
            Arousal = track.Arousal,
            Year = track.Year,
            Genre = track.Genre,
            DurationSeconds = track.DurationSeconds,
            Energy = audio.Energy,
            Tempo = audio.Tempo,
            Acousticness = audio.Acousticness,
            Instrumentalness = audio.Instrumentalness,
            Danceability = audio.Danceability,
            Loudness = audio.Loudness,
            Mode = audio.Mode,
        };
    }
}
