using Amrs.Core.Catalog;
using Amrs.Engine.Episodes;
using Amrs.Engine.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.WorldModels;

/// <summary>
/// Tracks featurised once for scoring: features [C,F] and vocabulary rows [C]. Build one per catalog (or
/// playlist) and reuse it across requests; dispose it when done.
/// </summary>
public sealed class CandidateSet : IDisposable
{
    private readonly Dictionary<WorldModel, Tensor[]> _cache = new(ReferenceEqualityComparer.Instance);

    private CandidateSet(IReadOnlyList<string> trackIds, float[] features, long[] rows, int featureSize)
    {
        TrackIds = trackIds;
        RawFeatures = features;
        Rows = rows;
        FeatureSize = featureSize;
        Features = torch.tensor(features, [trackIds.Count, featureSize]);
        Ids = torch.tensor(rows, [trackIds.Count]);
    }

    public IReadOnlyList<string> TrackIds { get; }
    public int Count => TrackIds.Count;
    public int FeatureSize { get; }
    public Tensor Features { get; }
    public Tensor Ids { get; }
    internal float[] RawFeatures { get; }
    internal long[] Rows { get; }

    /// <summary>
    /// A member's candidate embeddings and head parts for this set, computed once (without gradients) and
    /// kept until the set is disposed. They depend only on the member's weights and the tracks.
    /// </summary>
    internal Tensor[] CachedPartsFor(WorldModel member)
    {
        lock (_cache)
        {
            if (_cache.TryGetValue(member, out var parts)) return parts;
            using (torch.no_grad())
            using (var scope = torch.NewDisposeScope())
            {
                var embeddings = member.EmbedTracks(Features, Ids);
                parts = member.CandidateParts(embeddings);
                foreach (var part in parts) part.DetachFromDisposeScope();
            }
            _cache[member] = parts;
            return parts;
        }
    }

    /// <summary>
    /// The patient's record of every candidate [C,<see cref="TrackRecord.Size"/>] from the summary of their history, or
    /// null when none of the candidates was played to them before.
    /// </summary>
    public Tensor? RecordsFrom(HistorySummary summary)
    {
        return TrackRecord.Table(Count, Heard());

        IEnumerable<(int, TrackRecord)> Heard()
        {
            foreach (var (trackId, record) in summary.TrackRecords)
                if (IndexByTrackId.TryGetValue(trackId, out var index)) yield return (index, record);
        }
    }

    /// <summary>Where each track sits in the set (the first place, should a track appear twice).</summary>
    private Dictionary<string, int> IndexByTrackId => _indexByTrackId ??= BuildIndex(TrackIds);
    private Dictionary<string, int>? _indexByTrackId;

    private static Dictionary<string, int> BuildIndex(IReadOnlyList<string> trackIds)
    {
        var index = new Dictionary<string, int>(trackIds.Count, StringComparer.Ordinal);
        for (var i = 0; i < trackIds.Count; i++) index.TryAdd(trackIds[i], i);
        return index;
    }

    public ReadOnlySpan<float> FeaturesOf(int index) => RawFeatures.AsSpan(index * FeatureSize, FeatureSize);

    public static CandidateSet FromTracks(IReadOnlyList<Track> tracks, TrackFeaturizer featurizer, TrackVocabulary vocabulary)
    {
        var size = featurizer.Size;
        var features = new float[tracks.Count * size];
        var rows = new long[tracks.Count];
        for (var i = 0; i < tracks.Count; i++)
        {
            featurizer.Encode(tracks[i], features.AsSpan(i * size, size));
            rows[i] = vocabulary.IndexOf(tracks[i].TrackId);
        }
        return new CandidateSet(tracks.Select(t => t.TrackId).ToArray(), features, rows, size);
    }

    public static CandidateSet FromSteps(IReadOnlyList<EncodedStep> steps)
    {
        if (steps.Count == 0) throw new ArgumentException("A candidate set needs at least one track.", nameof(steps));
        var size = steps[0].Track.Length;
        var features = new float[steps.Count * size];
        var rows = new long[steps.Count];
        for (var i = 0; i < steps.Count; i++)
        {
            steps[i].Track.AsSpan().CopyTo(features.AsSpan(i * size, size));
            rows[i] = steps[i].TrackIndex;
        }
        return new CandidateSet(steps.Select(s => s.TrackId).ToArray(), features, rows, size);
    }

    public void Dispose()
    {
        lock (_cache)
        {
            foreach (var part in _cache.Values.SelectMany(p => p)) part.Dispose();
            _cache.Clear();
        }
        Features.Dispose();
        Ids.Dispose();
    }
}
