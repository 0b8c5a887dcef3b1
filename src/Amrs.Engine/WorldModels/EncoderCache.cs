using Amrs.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.WorldModels;

/// <summary>
/// Keys and values of every encoder layer for the tokens seen so far, so that a rollout adds one token per step
/// instead of re-encoding the whole history; it also does the attention over them (<see cref="Attend"/>).
/// Build with <see cref="WorldModel.Prefill"/>, extend with <see cref="WorldModel.Extend"/>. It also carries the patient
/// filter's running sums (<see cref="FilterMemory"/>), which every row continues like its tokens.
/// <para>
/// Two layouts. A plain cache holds each row's own tokens, [B, heads, capacity, head dim]. A cache made by
/// <see cref="Share"/> keeps a history encoded once per group (a preview's history, shared by its 64
/// trajectories) as a <i>prefix</i> [G, heads, P, head dim] and only each row's later tokens as its own. Rows
/// attend to their group's prefix through one matrix product per group (rows laid out in a grid of groups x
/// slots), instead of each row reading its own copy of the history: copying the history for every trajectory and
/// streaming those copies through memory at every step took most of a batched preview's time.
/// </para>
/// </summary>
public sealed class EncoderCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;
    private readonly SharedPrefix? _prefix;

    internal EncoderCache(Tensor[] keys, Tensor[] values, long length)
    {
        _keys = keys;
        _values = values;
        OwnLength = length;
    }

    private EncoderCache(Tensor[] keys, Tensor[] values, SharedPrefix prefix)
    {
        _keys = keys;
        _values = values;
        _prefix = prefix;
    }

    /// <summary>The patient filter's sums over the tokens cached so far (null for a model without a filter).</summary>
    internal FilterMemory? Filter { get; init; }

    /// <summary>Tokens cached so far (a shared prefix included).</summary>
    public long Length => (_prefix?.Length ?? 0) + OwnLength;

    /// <summary>Tokens each row holds itself (after the shared prefix, if any).</summary>
    private long OwnLength { get; set; }

    public long Batch => _keys[0].shape[0];

    /// <summary>
    /// A cache whose row b continues row <paramref name="groupOfRow"/>[b] of this one (to run each history's
    /// trajectories), with room for <paramref name="extraTokens"/> tokens of its own. This cache's tokens become
    /// the shared prefix (copied once per group, not per row).
    /// </summary>
    public EncoderCache Share(Tensor groupOfRow, long extraTokens)
    {
        if (_prefix is not null) throw new InvalidOperationException("This cache already continues a shared prefix.");
        var groups = groupOfRow.data<long>().ToArray();
        var slots = SharedPrefix.GridSlots(groups, Batch, out var slotsPerGroup);
        Tensor Prefix(Tensor buffer) => buffer.narrow(2, 0, OwnLength).contiguous().DetachFromDisposeScope();
        Tensor Own(Tensor buffer) =>
            torch.empty([groups.Length, buffer.shape[1], extraTokens, buffer.shape[3]], dtype: buffer.dtype, device: buffer.device)
                .DetachFromDisposeScope();
        var prefix = new SharedPrefix(_keys.Select(Prefix).ToArray(), _values.Select(Prefix).ToArray(), OwnLength,
            torch.tensor(slots).DetachFromDisposeScope(), groups.Length, slotsPerGroup);
        return new EncoderCache(_keys.Select(Own).ToArray(), _values.Select(Own).ToArray(), prefix) { Filter = Filter?.Rows(groupOfRow) };
    }

    /// <summary>
    /// Appends the new tokens' keys and values [B, heads, T, head dim] of one layer and returns what their
    /// queries attend to: softmax(q k^T * scale) v over the cached tokens and the new ones, causally among the new
    /// ones, [B, heads, T, head dim] (in the caller's dispose scope). Call for every layer, then <see cref="Advance"/>.
    /// </summary>
    internal Tensor Attend(int layer, Tensor queries, Tensor keys, Tensor values, Scalar scale)
    {
        var newTokens = keys.shape[2];
        var (ownKeys, ownValues) = Append(layer, keys, values);
        // New token i sits at own position OwnLength + i and may attend to own keys 0..OwnLength + i.
        var mask = torch.triu(torch.full(newTokens, OwnLength + newTokens, Scalars.Of(float.NegativeInfinity), device: queries.device),
            diagonal: OwnLength + 1);
        var ownScores = queries.matmul(ownKeys.transpose(-2, -1)).mul(scale).add(mask, Scalars.Of(1));
        if (_prefix is null) return ownScores.softmax(-1).matmul(ownValues);

        var prefixLength = _prefix.Length;
        var prefixScores = _prefix.FromGrid(_prefix.ToGrid(queries).matmul(_prefix.Keys[layer].transpose(-2, -1)), newTokens).mul(scale);
        var weights = torch.cat([prefixScores, ownScores], -1).softmax(-1);
        var fromPrefix = _prefix.FromGrid(_prefix.ToGrid(weights.narrow(-1, 0, prefixLength)).matmul(_prefix.Values[layer]), newTokens);
        return fromPrefix.add(weights.narrow(-1, prefixLength, weights.shape[3] - prefixLength).matmul(ownValues), Scalars.Of(1));
    }

    /// <summary>Counts the tokens every layer has appended.</summary>
    internal void Advance(long newTokens) => OwnLength += newTokens;

    /// <summary>Writes the new keys and values after the row's own ones (in place while there is room) and returns views over all.</summary>
    private (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        var total = OwnLength + keys.shape[2];
        if (total > _keys[layer].shape[2])
        {
            _keys[layer] = Grown(_keys[layer], keys);
            _values[layer] = Grown(_values[layer], values);
        }
        else
        {
            _keys[layer].narrow(2, OwnLength, keys.shape[2]).copy_(keys);
            _values[layer].narrow(2, OwnLength, values.shape[2]).copy_(values);
        }
        return (_keys[layer].narrow(2, 0, total), _values[layer].narrow(2, 0, total));
    }

    private Tensor Grown(Tensor buffer, Tensor added)
    {
        using var scope = torch.NewDisposeScope();
        var grown = torch.cat([buffer.narrow(2, 0, OwnLength), added], dim: 2).DetachFromDisposeScope();
        buffer.Dispose();
        return grown;
    }

    public void Dispose()
    {
        foreach (var t in _keys.Concat(_values)) t.Dispose();
        _prefix?.Dispose();
        Filter?.Dispose();
    }

    /// <summary>
    /// A prefix per group [G, heads, P, head dim] and where each row sits in the grid of G groups x
    /// <see cref="SlotsPerGroup"/> slots (unused slots stay zero and are never read back).
    /// </summary>
    private sealed class SharedPrefix(Tensor[] keys, Tensor[] values, long length, Tensor slots, long rows, long slotsPerGroup) : IDisposable
    {
        public Tensor[] Keys { get; } = keys;
        public Tensor[] Values { get; } = values;
        public long Length { get; } = length;
        private long Groups => Keys[0].shape[0];
        private long SlotsPerGroup { get; } = slotsPerGroup;

        /// <summary>Grid slot of each row: group x slots per group + the row's rank within its group.</summary>
        public static long[] GridSlots(long[] groupOfRow, long groups, out long slotsPerGroup)
        {
            var counts = new long[groups];
            var slots = new long[groupOfRow.Length];
            for (var b = 0; b < groupOfRow.Length; b++)
            {
                var group = groupOfRow[b];
                if (group < 0 || group >= groups) throw new ArgumentOutOfRangeException(nameof(groupOfRow), $"Row {b} names group {group}; there are {groups}.");
                slots[b] = counts[group]++;
            }
            slotsPerGroup = Math.Max(1, counts.Max());
            for (var b = 0; b < slots.Length; b++) slots[b] += groupOfRow[b] * slotsPerGroup;
            return slots;
        }

        /// <summary>Rows [B, heads, T, m] -> grid [G, heads, slots x T, m].</summary>
        public Tensor ToGrid(Tensor rowsTensor)
        {
            var (heads, tokens, width) = (rowsTensor.shape[1], rowsTensor.shape[2], rowsTensor.shape[3]);
            var grid = torch.zeros([Groups * SlotsPerGroup, heads * tokens * width], dtype: rowsTensor.dtype, device: rowsTensor.device)
                .index_copy_(0, slots, rowsTensor.reshape(rows, heads * tokens * width));
            return grid.view(Groups, SlotsPerGroup, heads, tokens, width).permute(0, 2, 1, 3, 4).reshape(Groups, heads, SlotsPerGroup * tokens, width);
        }

        /// <summary>Grid [G, heads, slots x T, m] -> rows [B, heads, T, m].</summary>
        public Tensor FromGrid(Tensor grid, long tokens)
        {
            var (heads, width) = (grid.shape[1], grid.shape[3]);
            return grid.view(Groups, heads, SlotsPerGroup, tokens, width).permute(0, 2, 1, 3, 4)
                .reshape(Groups * SlotsPerGroup, heads * tokens * width).index_select(0, slots).view(rows, heads, tokens, width);
        }

        public void Dispose()
        {
            foreach (var t in Keys.Concat(Values)) t.Dispose();
            slots.Dispose();
        }
    }
}
