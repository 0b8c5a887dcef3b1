using Amrs.Core.Affect;
using Amrs.Core.Metrics;
using Amrs.Core.Utility;
using Amrs.Engine.Episodes;
using Amrs.Engine.Policies;
using Amrs.Engine.Rollouts;
using Amrs.Engine.WorldModels;

namespace Amrs.Clinic.Services.Engine;

/// <summary>
/// Serves a batch of same-kind requests for one bundle with shared tensor calls: proposals decoded in lockstep
/// (<see cref="PlaylistProposer.ProposeMany"/>), simulations rolled out together (<see cref="RolloutEngine.RolloutMany"/>).
/// A request that cannot be prepared (an unknown track) fails alone; the others still get their answers.
/// Runs on the engine thread.
/// </summary>
internal static class CareBatch
{
    public static void Propose(LoadedBundle bundle, PolicyKind policy, IReadOnlyList<ProposeJob> jobs)
    {
        var proposer = bundle.Proposer(policy);
        var prepared = Prepare(jobs, job => new ProposalRequest(job.Context.Patient, job.Context.Profile,
            bundle.PolicyEncoder(policy).EncodeHistory(job.Context.Patient, job.Context.History)));
        if (prepared.Count == 0) return;
        IReadOnlyList<PlaylistProposal> proposals;
        try
        {
            proposals = proposer.ProposeMany(prepared.Select(p => p.Input).ToArray());
        }
        catch (ArgumentException) when (prepared.Count > 1)
        {
            // One request's profile is invalid: serve each alone so only that caller gets the error.
            foreach (var (job, request) in prepared) Complete(job, () => proposer.Propose(request), bundle, policy);
            return;
        }
        for (var i = 0; i < prepared.Count; i++) Complete(prepared[i].Job, () => proposals[i], bundle, policy);
    }

    public static void Simulate(LoadedBundle bundle, IReadOnlyList<SimulateJob> jobs)
    {
        // A preview's playlist and its comparison come with the same care context: encode its history once, so the
        // engine also encodes it once (RolloutEngine and the OOD check share work between requests on one history object).
        var histories = new Dictionary<CareContext, EncodedHistory>(ReferenceEqualityComparer.Instance);
        var prepared = Prepare(jobs, job => PreparedSimulation.Create(bundle, job, histories));
        if (prepared.Count == 0) return;
        try
        {
            var rollouts = new RolloutEngine(bundle.WorldModel).RolloutMany(prepared
                .Select(p => new PlaylistRollout(new RolloutRequest(p.Input.History, p.Input.Start, p.Job.Trajectories, Seed: 1), p.Input.Playlist))
                .ToArray());
            var ood = bundle.WorldModel.AssessPlaylists(prepared.Select(p => new CandidateQuery(p.Input.History, p.Input.Start, p.Input.Playlist)).ToArray());
            for (var i = 0; i < prepared.Count; i++) prepared[i].Job.Succeed(Describe(prepared[i].Job, rollouts[i], ood[i]));
        }
        finally
        {
            foreach (var (_, input) in prepared) input.Playlist.Dispose();
        }
    }

    private static List<(TJob Job, TInput Input)> Prepare<TJob, TInput>(IReadOnlyList<TJob> jobs, Func<TJob, TInput> prepare)
        where TJob : EngineJob
    {
        var prepared = new List<(TJob, TInput)>();
        foreach (var job in jobs)
        {
            try
            {
                prepared.Add((job, prepare(job)));
            }
            catch (ArgumentException e)
            {
                job.Fail(e);
            }
        }
        return prepared;
    }

    private static void Complete(ProposeJob job, Func<PlaylistProposal> propose, LoadedBundle bundle, PolicyKind policy)
    {
        try
        {
            var proposal = propose();
            job.Succeed(new Proposal(bundle.Info.BundleId, bundle.Info.PolicyVersion(policy), proposal.Decoding, proposal.TrackIds));
        }
        catch (ArgumentException e)
        {
            job.Fail(e);
        }
    }

    private static PlaylistSimulation Describe(SimulateJob job, RolloutResult rollout, OodAssessment ood)
    {
        var context = job.Context;
        var profile = context.Profile;
        var count = job.TrackIds.Count;
        var current = context.CurrentAffect ?? LastObservedAffect(context) ?? profile.Target;
        var targets = profile.FollowIsoPath ? IsoPath.Path(current, profile.Target, count) : Enumerable.Repeat(profile.Target, count).ToArray();
        var steps = rollout.Steps.Select((s, i) => new StepForecast(i, job.TrackIds[i], Band(s.Valence), Band(s.Arousal), Band(s.Engagement),
            s.Rating.Mean, targets[i])).ToList();
        var affect = steps.Select(s => new AffectPoint(s.Valence.Mean, s.Arousal.Mean)).ToArray();
        var attainment = affect.Length == 0 ? double.NaN : TargetAttainment.Compute(affect, profile.Target).Attainment;
        return new PlaylistSimulation(steps, ood.IsOutOfDistribution, ood.Reason, attainment);
    }

    private static AffectPoint? LastObservedAffect(CareContext context) =>
        context.History.SelectMany(s => s.Steps).LastOrDefault(s => s.HasAffect) is { } step ? new AffectPoint(step.Valence!.Value, step.Arousal!.Value) : null;

    private static Band Band(SignalBand band) => new(band.Mean, band.P10, band.P50, band.P90);

    /// <summary>A simulation's encoded inputs: the history, the first step's context and the playlist's tracks.</summary>
    private sealed record PreparedSimulation(EncodedHistory History, StepContext Start, CandidateSet Playlist)
    {
        public static PreparedSimulation Create(LoadedBundle bundle, SimulateJob job, Dictionary<CareContext, EncodedHistory> histories)
        {
            var tracks = job.TrackIds.Select(id => bundle.TrackById.TryGetValue(id, out var t) ? t : throw new ArgumentException($"Track '{id}' is not in the catalog.")).ToList();
            if (tracks.Count == 0) throw new ArgumentException("A simulation needs at least one track.");
            var profile = job.Context.Profile;
            if (!histories.TryGetValue(job.Context, out var history))
                histories[job.Context] = history = bundle.WorldModelEncoder.EncodeHistory(job.Context.Patient, job.Context.History);
            var start = new StepContext(profile.Mode, profile.Target, StartsSession: true, PositionInSession: 0);
            return new PreparedSimulation(history, start, bundle.WorldModel.PrepareCandidates(tracks));
        }
    }
}
