using Amrs.Core.Catalog;
using Amrs.Core.Ethics;
using Amrs.Core.Patients;
using Amrs.Core.Utility;
using Amrs.Engine.Episodes;
using TorchSharp;

namespace Amrs.Engine.Policies;

/// <summary>What a proposal is for: the patient, the profile (mode, target, weights, limits, length) and the history.</summary>
public sealed record ProposalRequest(Patient Patient, UtilityProfile Profile, EncodedHistory History);

/// <summary>
/// A decoded playlist: the track ids in order, the decoding used (record it with the proposal) and, per step,
/// a score of the chosen track (the policy: its probability among the allowed tracks; the greedy planner: its utility). <see cref="ForSimulationOnly"/> is
/// true for sampled lists, which must never be offered for care.
/// </summary>
public sealed record PlaylistProposal(IReadOnlyList<string> TrackIds, DecodingSettings Decoding, IReadOnlyList<double> StepScores)
{
    public bool ForSimulationOnly => !Decoding.IsDeterministic;
}

/// <summary>
/// Turns a policy's scores into a playlist. Care proposals are greedy with no exploration: the highest-scoring
/// allowed track at every step, ties to the earlier catalog position, so the same policy, catalog and request
/// always give the same list (the ethics guard checks this by decoding again). Allowed means: obeys
/// <see cref="TrackConstraints"/> for the patient and profile, and not already in the list. Sampling exists only
/// for simulations (rollouts, preference pairs) and is marked as such.
/// </summary>
public sealed class PlaylistProposer(PolicyCatalog catalog)
{
    public PolicyCatalog Catalog { get; } = catalog;

    public PolicyModel Policy => Catalog.Policy;

    /// <summary>A care proposal: greedy, exploration 0, reproducible.</summary>
    public PlaylistProposal Propose(ProposalRequest request) => Decode(request, DecodingSettings.Greedy, random: null);

    /// <summary>A sampled list for simulations only (never for care); reproducible for a seed.</summary>
    public PlaylistProposal Sample(ProposalRequest request, int seed) =>
        Decode(request, new DecodingSettings(DecodingStrategy.Sampling), new Random(seed));

    /// <summary>Which catalog tracks a profile allows for a patient (hard constraints only).</summary>
    public bool[] AllowedMask(Patient patient, UtilityProfile profile) =>
        Catalog.Tracks.Select(t => TrackConstraints.IsAllowed(t, patient, profile)).ToArray();

    public PlaylistProposal Decode(ProposalRequest request, DecodingSettings decoding, Random? random)
    {
        var profile = request.Profile;
        var problems = profile.Validate();
        if (problems.Count > 0) throw new ArgumentException("The profile is not valid: " + string.Join(" ", problems), nameof(request));
        if (decoding.ExplorationRate != 0) throw new ArgumentException("Exploration is not supported by this decoder.", nameof(decoding));
        if (decoding.Strategy == DecodingStrategy.Sampling && random is null)
            throw new ArgumentException("Sampling needs a seeded random source.", nameof(random));

        var allowed = AllowedMask(request.Patient, profile);
        var condition = PolicyCondition.Encode(profile);
        var encoder = Policy.CreateEncoder(Catalog.Tracks);
        var chosen = new List<string>();
        var probabilities = new List<double>();
        var proposed = new List<EncodedStep>();
        var context = new StepContext(profile.Mode, profile.Target, StartsSession: true, PositionInSession: 0);
        lock (Policy.Gate)
        {
            using var mode = torch.inference_mode();
            var keys = Catalog.ServingKeys();
            for (var step = 0; step < profile.PlaylistLength; step++)
            {
                if (!allowed.Contains(true)) break;
                float[] logp;
                using (var scope = torch.NewDisposeScope())
                {
                    var sequence = PolicySequence.ForProposal(request.History, proposed, context, Policy.Options.MaxHistory);
                    var scores = PolicyScoring.LogProbabilities(Policy.Network, [sequence],
                        [new PolicyQuery(0, sequence.Tokens - 1, condition, allowed)], keys);
                    logp = scores.contiguous().data<float>().ToArray();
                }
                var pick = decoding.Strategy == DecodingStrategy.Greedy ? ArgMax(logp, allowed) : Draw(logp, allowed, random!);
                var track = Catalog.Tracks[pick];
                chosen.Add(track.TrackId);
                probabilities.Add(Math.Exp(logp[pick]));
                allowed[pick] = false;
                proposed.Add(encoder.EncodeStep(track, context, default, "proposal", int.MaxValue));
                context = context.Next();
            }
        }
        return new PlaylistProposal(chosen, decoding, probabilities);
    }

    private static int ArgMax(float[] logp, bool[] allowed)
    {
        var best = -1;
        for (var j = 0; j < logp.Length; j++)
        {
            if (allowed[j] && (best < 0 || logp[j] > logp[best])) best = j;
        }
        return best;
    }

    private static int Draw(float[] logp, bool[] allowed, Random random)
    {
        double total = 0;
        for (var j = 0; j < logp.Length; j++) if (allowed[j]) total += Math.Exp(logp[j]);
        var r = random.NextDouble() * total;
        var last = -1;
        for (var j = 0; j < logp.Length; j++)
        {
            if (!allowed[j]) continue;
            last = j;
            r -= Math.Exp(logp[j]);
            if (r < 0) return j;
        }
        return last;
    }
}
