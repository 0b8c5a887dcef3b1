using Amrs.Core.Catalog;
using Amrs.Core.Ethics;
using Amrs.Core.Patients;
using Amrs.Core.Utility;
using Amrs.Engine.Episodes;
using Amrs.Engine.Training;
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

    /// <summary>
    /// Care proposals for several requests decoded in lockstep, one batched policy call per step (requests of many
    /// clinicians at once). Each list is the one <see cref="Propose"/> gives for its request alone.
    /// </summary>
    public IReadOnlyList<PlaylistProposal> ProposeMany(IReadOnlyList<ProposalRequest> requests) =>
        DecodeMany(requests, DecodingSettings.Greedy, randoms: null);

    /// <summary>A sampled list for simulations only (never for care); reproducible for a seed.</summary>
    public PlaylistProposal Sample(ProposalRequest request, int seed) =>
        Decode(request, new DecodingSettings(DecodingStrategy.Sampling), new Random(seed));

    /// <summary>Which catalog tracks a profile allows for a patient (hard constraints only).</summary>
    public bool[] AllowedMask(Patient patient, UtilityProfile profile) =>
        Catalog.Tracks.Select(t => TrackConstraints.IsAllowed(t, patient, profile)).ToArray();

    public PlaylistProposal Decode(ProposalRequest request, DecodingSettings decoding, Random? random) =>
        DecodeMany([request], decoding, random is null ? null : [random])[0];

    private IReadOnlyList<PlaylistProposal> DecodeMany(IReadOnlyList<ProposalRequest> requests, DecodingSettings decoding, IReadOnlyList<Random>? randoms)
    {
        foreach (var request in requests)
        {
            var problems = request.Profile.Validate();
            if (problems.Count > 0) throw new ArgumentException("The profile is not valid: " + string.Join(" ", problems), nameof(requests));
        }
        if (decoding.ExplorationRate != 0) throw new ArgumentException("Exploration is not supported by this decoder.", nameof(decoding));
        if (decoding.Strategy == DecodingStrategy.Sampling && randoms?.Count != requests.Count)
            throw new ArgumentException("Sampling needs a seeded random source per request.", nameof(randoms));

        var decoders = requests.Select(r => new ListDecoder(r, AllowedMask(r.Patient, r.Profile))).ToArray();
        var encoder = Policy.CreateEncoder(Catalog.Tracks);
        lock (Policy.Gate)
        {
            using var mode = torch.inference_mode();
            var keys = Catalog.ServingKeys();
            while (decoders.Where(d => d.WantsMore).ToArray() is { Length: > 0 } active)
            {
                float[] logp;
                using (var scope = torch.NewDisposeScope())
                {
                    var sequences = active.Select(d => PolicySequence.ForProposal(d.Request.History, d.Proposed, d.Context, Policy.Options.MaxHistory)).ToArray();
                    var queries = active.Select((d, i) => new PolicyQuery(i, sequences[i].Tokens - 1, d.Condition, d.Allowed)).ToArray();
                    logp = PolicyScoring.LogProbabilities(Policy.Network, sequences, queries, keys).ToFloatArray();
                }
                var n = Catalog.Tracks.Count;
                for (var i = 0; i < active.Length; i++)
                {
                    var decoder = active[i];
                    var row = logp.AsSpan(i * n, n);
                    var pick = decoding.Strategy == DecodingStrategy.Greedy
                        ? ArgMax(row, decoder.Allowed)
                        : Draw(row, decoder.Allowed, randoms![Array.IndexOf(decoders, decoder)]);
                    var track = Catalog.Tracks[pick];
                    decoder.Add(track, Math.Exp(row[pick]), encoder.EncodeStep(track, decoder.Context, default, "proposal", int.MaxValue), pick);
                }
            }
        }
        return decoders.Select(d => new PlaylistProposal(d.Chosen, decoding, d.Probabilities)).ToArray();
    }

    /// <summary>
    /// The catalog index of the track the policy ranks first among <paramref name="allowed"/> at one step of a session
    /// being proposed (after <paramref name="sessionSoFar"/>, whose outcomes it does not see); -1 when none is allowed.
    /// </summary>
    internal int FirstChoice(EncodedHistory before, IReadOnlyList<EncodedStep> sessionSoFar, StepContext next, float[] condition, bool[] allowed)
    {
        if (!allowed.Contains(true)) return -1;
        lock (Policy.Gate)
        {
            using var mode = torch.inference_mode();
            using var scope = torch.NewDisposeScope();
            var sequence = PolicySequence.ForProposal(before, sessionSoFar, next, Policy.Options.MaxHistory);
            var logp = PolicyScoring.LogProbabilities(Policy.Network, [sequence],
                [new PolicyQuery(0, sequence.Tokens - 1, condition, allowed)], Catalog.ServingKeys()).ToFloatArray();
            return ArgMax(logp, allowed);
        }
    }

    /// <summary>One list being decoded: what is allowed still, what was chosen, the context of the next step.</summary>
    private sealed class ListDecoder(ProposalRequest request, bool[] allowed)
    {
        public ProposalRequest Request { get; } = request;
        public bool[] Allowed { get; } = allowed;
        public float[] Condition { get; } = PolicyCondition.Encode(request.Profile);
        public List<string> Chosen { get; } = [];
        public List<double> Probabilities { get; } = [];
        public List<EncodedStep> Proposed { get; } = [];
        public StepContext Context { get; private set; } = new(request.Profile.Mode, request.Profile.Target, StartsSession: true, PositionInSession: 0);

        public bool WantsMore => Chosen.Count < Request.Profile.PlaylistLength && Allowed.Contains(true);

        public void Add(Track track, double probability, EncodedStep step, int catalogIndex)
        {
            Chosen.Add(track.TrackId);
            Probabilities.Add(probability);
            Allowed[catalogIndex] = false;
            Proposed.Add(step);
            Context = Context.Next();
        }
    }

    private static int ArgMax(ReadOnlySpan<float> logp, bool[] allowed)
    {
        var best = -1;
        for (var j = 0; j < logp.Length; j++)
        {
            if (allowed[j] && (best < 0 || logp[j] > logp[best])) best = j;
        }
        return best;
    }

    private static int Draw(ReadOnlySpan<float> logp, bool[] allowed, Random random)
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
