using Amrs.Core.Catalog;

namespace Amrs.Clinic.Components.Pages.Preview;

/// <summary>
/// The list the clinician is working on: starts as a previewed list; tracks can be removed, moved and swapped
/// for catalog tracks. Knows whether it still equals a given list (only a list previewed exactly can be signed).
/// </summary>
public sealed class PlaylistDraft(IEnumerable<Track> tracks)
{
    private readonly List<Track> _tracks = [.. tracks];

    public IReadOnlyList<Track> Tracks => _tracks;

    public IReadOnlyList<string> TrackIds => _tracks.Select(t => t.TrackId).ToList();

    public bool IsSameListAs(IEnumerable<string> trackIds) => TrackIds.SequenceEqual(trackIds, StringComparer.Ordinal);

    public void Remove(int index)
    {
        if (index >= 0 && index < _tracks.Count) _tracks.RemoveAt(index);
    }

    /// <summary>Moves the track at <paramref name="index"/> by <paramref name="offset"/> places (up is negative); stops at the ends.</summary>
    public void Move(int index, int offset)
    {
        var to = index + offset;
        if (index < 0 || index >= _tracks.Count || to < 0 || to >= _tracks.Count) return;
        (_tracks[index], _tracks[to]) = (_tracks[to], _tracks[index]);
    }

    /// <summary>Puts <paramref name="replacement"/> in place of the track at <paramref name="index"/>; refused (with the reason) when it is already in the list.</summary>
    public string? Swap(int index, Track replacement)
    {
        if (index < 0 || index >= _tracks.Count) return "Choose the track to replace first.";
        if (_tracks.Where((_, i) => i != index).Any(t => t.TrackId == replacement.TrackId))
            return $"'{replacement.Title}' is already in the list; a playlist plays each track once.";
        _tracks[index] = replacement;
        return null;
    }
}
