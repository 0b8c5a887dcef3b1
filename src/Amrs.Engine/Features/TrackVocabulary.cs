namespace Amrs.Engine.Features;

/// <summary>
/// Maps the track ids seen in training to rows of the id embedding. Row 0 is reserved for every unknown or
/// unseen track, so a model can always be asked about a track it never saw.
/// </summary>
public sealed class TrackVocabulary
{
    public const int Unknown = 0;

    private readonly Dictionary<string, int> _index;

    public TrackVocabulary(IEnumerable<string> trackIds)
    {
        TrackIds = trackIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < TrackIds.Count; i++) _index[TrackIds[i]] = i + 1;
    }

    /// <summary>The known ids in row order (row i + 1).</summary>
    public IReadOnlyList<string> TrackIds { get; }

    /// <summary>Rows of the embedding table, including the unknown row.</summary>
    public int Rows => TrackIds.Count + 1;

    public int IndexOf(string trackId) => _index.GetValueOrDefault(trackId, Unknown);

    public bool Contains(string trackId) => _index.ContainsKey(trackId);
}
