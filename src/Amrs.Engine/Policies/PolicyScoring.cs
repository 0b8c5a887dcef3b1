using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.Policies;

/// <summary>
/// One place where the policy is asked something: the state at <see cref="Token"/> of sequence
/// <see cref="Sequence"/>, under <see cref="Condition"/>, choosing among the catalog tracks with
/// <see cref="Allowed"/> true (all when null).
/// </summary>
public sealed record PolicyQuery(int Sequence, int Token, float[] Condition, bool[]? Allowed = null);

/// <summary>Log-probabilities of the policy over a catalog for many queries at once.</summary>
internal static class PolicyScoring
{
    /// <summary>
    /// Log-softmax [Q,N] over the allowed tracks of each query (disallowed: -inf). <paramref name="keys"/> are
    /// the catalog keys [N,K+1]. Gradients flow when the network is in a grad-enabled context.
    /// </summary>
    public static Tensor LogProbabilities(PolicyNetwork network, IReadOnlyList<PolicySequence> sequences,
        IReadOnlyList<PolicyQuery> queries, Tensor keys)
    {
        using var scope = torch.NewDisposeScope();
        using var inputs = PolicyTensors.From(sequences, network.Layout);
        var states = network.call(inputs.PreviousTrack, inputs.PreviousIds, inputs.Context);
        var flat = states.reshape(-1, states.shape[2]);
        var rows = torch.tensor(queries.Select(q => (long)inputs.FlatIndex(q.Token, q.Sequence)).ToArray());
        var picked = flat.index_select(0, rows);
        var conditions = new float[queries.Count * PolicyCondition.Size];
        for (var q = 0; q < queries.Count; q++) queries[q].Condition.AsSpan().CopyTo(conditions.AsSpan(q * PolicyCondition.Size));
        var query = network.Queries(picked, torch.tensor(conditions, [queries.Count, PolicyCondition.Size]));
        var logits = PolicyNetwork.Logits(query, keys);
        var n = (int)keys.shape[0];
        if (queries.Any(q => q.Allowed is not null))
        {
            var blocked = new bool[queries.Count * n];
            for (var q = 0; q < queries.Count; q++)
            {
                if (queries[q].Allowed is not { } allowed) continue;
                if (allowed.Length != n) throw new ArgumentException($"An allowed mask has {allowed.Length} entries for {n} tracks.");
                for (var j = 0; j < n; j++) blocked[q * n + j] = !allowed[j];
            }
            logits = logits.masked_fill(torch.tensor(blocked, [queries.Count, n]), Training.Scalars.Of(float.NegativeInfinity));
        }
        return logits.log_softmax(-1).MoveToOuterDisposeScope();
    }
}
