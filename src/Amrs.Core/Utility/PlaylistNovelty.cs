using Amrs.Core.Catalog;

namespace Amrs.Core.Utility;

/// <summary>
/// How new a candidate is against the tracks already in a list: 0 for a repeat; otherwise its distance to the
/// nearest earlier track, where the distance mixes affect (half), genre (a quarter) and artist (a quarter).
/// The first track is fully novel (1).
/// </summary>
public static class PlaylistNovelty
{
    public static double Of(Track candidate, IReadOnlyList<Track> earlier)
    {
        if (earlier.Count == 0) return 1;
        var nearest = 1.0;
        foreach (var track in earlier)
        {
            if (track.TrackId == candidate.TrackId) return 0;
            nearest = Math.Min(nearest, Distance(candidate, track));
        }
        return nearest;
    }

    public static double Distance(Track a, Track b)
    {
        var affect = new Affect.AffectPoint(a.Valence, a.Arousal).DistanceTo(new(b.Valence, b.Arousal)) / Affect.AffectPoint.MaxDistance;
        var genre = a.Genre is not null && string.Equals(a.Genre, b.Genre, StringComparison.OrdinalIgnoreCase) ? 0 : 1;
        var artist = string.Equals(a.Artist, b.Artist, StringComparison.OrdinalIgnoreCase) ? 0 : 1;
        return 0.5 * affect + 0.25 * genre + 0.25 * artist;
    }

    /// <summary>Familiarity from listening history: plays of the track, saturating at three.</summary>
    public static double Familiarity(int earlierPlays) => Math.Min(1.0, earlierPlays / 3.0);
}
