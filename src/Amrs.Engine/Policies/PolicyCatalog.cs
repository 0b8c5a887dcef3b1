using Amrs.Core.Catalog;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.Policies;

/// <summary>
/// The tracks a policy chooses among, featurised once for one policy: features [N,F] and vocabulary rows [N].
/// Build one per catalog and reuse it; dispose when done.
/// </summary>
public sealed class PolicyCatalog : IDisposable
{
    private readonly Dictionary<string, int> _index;
    private Tensor? _frozenKeys;

    public PolicyCatalog(PolicyModel policy, IReadOnlyList<Track> tracks)
    {
        Tracks = tracks;
        _index = new Dictionary<string, int>(tracks.Count, StringComparer.Ordinal);
        for (var i = 0; i < tracks.Count; i++)
        {
            if (!_index.TryAdd(tracks[i].TrackId, i))
                throw new ArgumentException($"Track '{tracks[i].TrackId}' is twice in the catalog.", nameof(tracks));
        }
        var featurizer = policy.Featurizer;
        var size = featurizer.Size;
        var features = new float[tracks.Count * size];
        var rows = new long[tracks.Count];
        for (var i = 0; i < tracks.Count; i++)
        {
            featurizer.Encode(tracks[i], features.AsSpan(i * size, size));
            rows[i] = policy.Vocabulary.IndexOf(tracks[i].TrackId);
        }
        Features = torch.tensor(features, [tracks.Count, size]);
        Ids = torch.tensor(rows, [tracks.Count]);
        Policy = policy;
    }

    public PolicyModel Policy { get; }
    public IReadOnlyList<Track> Tracks { get; }
    public int Count => Tracks.Count;
    public Tensor Features { get; }
    public Tensor Ids { get; }

    public int IndexOf(string trackId) =>
        _index.TryGetValue(trackId, out var i) ? i : throw new KeyNotFoundException($"Track '{trackId}' is not in the policy's catalog.");

    public bool Contains(string trackId) => _index.ContainsKey(trackId);

    /// <summary>Keys computed with gradients (training): [N,K+1].</summary>
    internal Tensor Keys() => Policy.Network.Keys(Features, Ids);

    /// <summary>Keys without gradients, computed once (serving; the policy's weights must not change meanwhile).</summary>
    internal Tensor ServingKeys()
    {
        if (_frozenKeys is not null) return _frozenKeys;
        using (torch.no_grad())
        {
            _frozenKeys = Policy.Network.Keys(Features, Ids).DetachFromDisposeScope();
        }
        return _frozenKeys;
    }

    /// <summary>Forgets cached serving keys (after the policy's weights changed).</summary>
    internal void Invalidate()
    {
        _frozenKeys?.Dispose();
        _frozenKeys = null;
    }

    public void Dispose()
    {
        _frozenKeys?.Dispose();
        Features.Dispose();
        Ids.Dispose();
    }
}
