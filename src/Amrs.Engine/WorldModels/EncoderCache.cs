using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.WorldModels;

/// <summary>
/// Keys and values of every encoder layer for the tokens seen so far ([B, heads, S, head dim] each), so
/// that a rollout adds one token per step instead of re-encoding the whole history.
/// Build with <see cref="WorldModel.Prefill"/>, extend with <see cref="WorldModel.Extend"/>.
/// </summary>
public sealed class EncoderCache : IDisposable
{
    internal EncoderCache(Tensor[] keys, Tensor[] values)
    {
        Keys = keys;
        Values = values;
    }

    internal Tensor[] Keys { get; }
    internal Tensor[] Values { get; }

    /// <summary>Tokens cached so far.</summary>
    public long Length => Keys[0].shape[2];

    public long Batch => Keys[0].shape[0];

    /// <summary>A cache whose row b is row <paramref name="rows"/>[b] of this one (to repeat each history for its trajectories).</summary>
    public EncoderCache Select(Tensor rows) =>
        new(Keys.Select(k => k.index_select(0, rows).DetachFromDisposeScope()).ToArray(),
            Values.Select(v => v.index_select(0, rows).DetachFromDisposeScope()).ToArray());

    internal void Replace(int layer, Tensor keys, Tensor values)
    {
        Keys[layer].Dispose();
        Values[layer].Dispose();
        Keys[layer] = keys.DetachFromDisposeScope();
        Values[layer] = values.DetachFromDisposeScope();
    }

    public void Dispose()
    {
        foreach (var t in Keys.Concat(Values)) t.Dispose();
    }
}
