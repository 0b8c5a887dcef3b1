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

    /// <summary>The same cache repeated for <paramref name="batch"/> trajectories (from a batch of one).</summary>
    public EncoderCache Expand(long batch)
    {
        if (Batch != 1) throw new InvalidOperationException("Only a cache of batch 1 can be expanded.");
        return new EncoderCache(
            Keys.Select(k => k.expand(batch, -1, -1, -1).contiguous().DetachFromDisposeScope()).ToArray(),
            Values.Select(v => v.expand(batch, -1, -1, -1).contiguous().DetachFromDisposeScope()).ToArray());
    }

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
