using Amrs.Engine.Episodes;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.Policies;

/// <summary>
/// log pi(list | context) for both sides of preference pairs: the sum over the list's steps of the policy's
/// log-probability of each track among the allowed tracks not yet in the list, each step seeing the earlier
/// ones as proposed steps without outcomes (exactly what the decoder computes).
/// </summary>
internal static class PairLogProbabilities
{
    /// <summary>(chosen [P], rejected [P]) log-probabilities under <paramref name="network"/>.</summary>
    public static (Tensor Chosen, Tensor Rejected) Compute(PolicyNetwork network, PolicyCatalog catalog, IReadOnlyList<PreferencePair> pairs, Tensor keys)
    {
        using var scope = torch.NewDisposeScope();
        var encoder = catalog.Policy.CreateEncoder(catalog.Tracks);
        var sequences = new List<PolicySequence>();
        var queries = new List<PolicyQuery>();
        var picks = new List<long>();
        var pickPair = new List<long>();
        var pickChosen = new List<bool>();
        var n = catalog.Count;
        for (var p = 0; p < pairs.Count; p++)
        {
            var pair = pairs[p];
            if (pair.Chosen.Count == 1 && pair.Rejected.Count == 1)
            {
                // One state, two tracks: a single query serves both sides.
                var sequence = PolicySequence.ForProposal(pair.Before, pair.SessionSoFar, pair.Start, network.Options.MaxHistory);
                var allowed = Allowed(pair, catalog, pair.SessionSoFar.Select(s => s.TrackId));
                allowed[pair.Chosen[0]] = allowed[pair.Rejected[0]] = true;
                sequences.Add(sequence);
                queries.Add(new PolicyQuery(sequences.Count - 1, sequence.Tokens - 1, pair.Condition, allowed));
                Add(queries.Count - 1, pair.Chosen[0], p, true);
                Add(queries.Count - 1, pair.Rejected[0], p, false);
                continue;
            }
            AddList(pair, pair.Chosen, p, true);
            AddList(pair, pair.Rejected, p, false);
        }
        var logp = PolicyScoring.LogProbabilities(network, sequences, queries, keys);
        var values = logp.reshape(-1).index_select(0, torch.tensor(picks.ToArray()));
        var chosenMatrix = new float[pairs.Count * picks.Count];
        var rejectedMatrix = new float[pairs.Count * picks.Count];
        for (var i = 0; i < picks.Count; i++)
            (pickChosen[i] ? chosenMatrix : rejectedMatrix)[pickPair[i] * picks.Count + i] = 1;
        var chosen = torch.tensor(chosenMatrix, [pairs.Count, picks.Count]).matmul(values);
        var rejected = torch.tensor(rejectedMatrix, [pairs.Count, picks.Count]).matmul(values);
        return (chosen.MoveToOuterDisposeScope(), rejected.MoveToOuterDisposeScope());

        void Add(int query, int track, int pair, bool isChosen)
        {
            picks.Add((long)query * n + track);
            pickPair.Add(pair);
            pickChosen.Add(isChosen);
        }

        void AddList(PreferencePair pair, IReadOnlyList<int> list, int p, bool isChosen)
        {
            var context = pair.Start;
            var proposed = pair.SessionSoFar.ToList();
            var contexts = new List<StepContext>();
            for (var k = 0; k < list.Count; k++)
            {
                contexts.Add(context);
                if (k < list.Count - 1)
                    proposed.Add(encoder.EncodeStep(catalog.Tracks[list[k]], context, default, "pair", int.MaxValue));
                context = context.Next();
            }
            var sequence = PolicySequence.ForProposal(pair.Before, proposed, contexts[^1], network.Options.MaxHistory);
            sequences.Add(sequence);
            var s = sequences.Count - 1;
            var firstQuery = sequence.Tokens - list.Count;
            var earlier = pair.SessionSoFar.Select(x => x.TrackId).ToList();
            for (var k = 0; k < list.Count; k++)
            {
                var allowed = Allowed(pair, catalog, earlier);
                allowed[list[k]] = true;
                queries.Add(new PolicyQuery(s, firstQuery + k, pair.Condition, allowed));
                Add(queries.Count - 1, list[k], p, isChosen);
                earlier.Add(catalog.Tracks[list[k]].TrackId);
            }
        }
    }

    private static bool[] Allowed(PreferencePair pair, PolicyCatalog catalog, IEnumerable<string> earlier)
    {
        var allowed = (bool[])pair.Allowed.Clone();
        foreach (var id in earlier)
            if (catalog.Contains(id)) allowed[catalog.IndexOf(id)] = false;
        return allowed;
    }
}
