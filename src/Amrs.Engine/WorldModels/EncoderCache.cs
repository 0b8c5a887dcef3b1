using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.WorldModels;

/// <summary>
/// Keys and values of every encoder layer for the tokens seen so far, so that a rollout adds one token per step
/// instead of re-encoding the whole history. Each layer's buffer is [B, heads, capacity, head dim]; the first
/// <see cref="Length"/> positions are filled. A cache made with room to spare (<see cref="Select"/>) appends in
/// place, so a rollout step writes one token's keys instead of copying the whole cache (that copy was the largest
/// cost of batched previews). Build with <see cref="WorldModel.Prefill"/>, extend with <see cref="WorldModel.Extend"/>.
/// </summary>
public sealed class EncoderCache : IDisposable
{
    internal EncoderCache(Tensor[] keys, Tensor[] values, long length)
    {
        Keys = keys;
        Values = values;
        Length = length;
    }

    private Tensor[] Keys { get; }
    private Tensor[] Values { get; }

    /// <summary>Tokens cached so far.</summary>
    public long Length { get; private set; }

    /// <summary>Tokens the buffers hold before appending has to copy them.</summary>
    public long Capacity => Keys[0].shape[2];

    public long Batch => Keys[0].shape[0];

    /// <summary>
    /// A cache whose row b is row <paramref name="rows"/>[b] of this one (to repeat each history for its
    /// trajectories), with room for <paramref name="extraTokens"/> more tokens.
    /// </summary>
    public EncoderCache Select(Tensor rows, long extraTokens = 0)
    {
        Tensor Copy(Tensor buffer)
        {
            using var scope = torch.NewDisposeScope();
            var picked = buffer.narrow(2, 0, Length).index_select(0, rows);
            var copy = torch.empty([rows.shape[0], buffer.shape[1], Length + extraTokens, buffer.shape[3]], dtype: buffer.dtype, device: buffer.device);
            copy.narrow(2, 0, Length).copy_(picked);
            return copy.DetachFromDisposeScope();
        }
        return new EncoderCache(Keys.Select(Copy).ToArray(), Values.Select(Copy).ToArray(), Length);
    }

    /// <summary>
    /// Writes the new tokens' keys and values of one layer after the cached ones and returns views over all of
    /// them (in the caller's dispose scope). Call for every layer, then <see cref="Advance"/> once.
    /// </summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        var total = Length + keys.shape[2];
        if (total > Keys[layer].shape[2])
        {
            Keys[layer] = Grown(Keys[layer], keys);
            Values[layer] = Grown(Values[layer], values);
        }
        else
        {
            Keys[layer].narrow(2, Length, keys.shape[2]).copy_(keys);
            Values[layer].narrow(2, Length, values.shape[2]).copy_(values);
        }
        return (Keys[layer].narrow(2, 0, total), Values[layer].narrow(2, 0, total));
    }

    /// <summary>Counts the tokens every layer has appended.</summary>
    internal void Advance(long newTokens) => Length += newTokens;

    private Tensor Grown(Tensor buffer, Tensor added)
    {
        using var scope = torch.NewDisposeScope();
        var grown = torch.cat([buffer.narrow(2, 0, Length), added], dim: 2).DetachFromDisposeScope();
        buffer.Dispose();
        return grown;
    }

    public void Dispose()
    {
        foreach (var t in Keys.Concat(Values)) t.Dispose();
    }
}
