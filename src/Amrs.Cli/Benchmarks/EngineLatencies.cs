using Amrs.Engine.Policies;
using Amrs.Engine.Rollouts;

namespace Amrs.Cli.Benchmarks;

/// <summary>Latencies of the engine's serving calls, and what batching several requests buys.</summary>
public sealed record EngineResult(
    int Members,
    int Candidates,
    int HistorySteps,
    Timings Scoring,
    Timings ScoringShippedEnsemble,
    int Trajectories,
    int RolloutSteps,
    Timings Rollout,
    Timings RolloutShippedEnsemble,
    Timings PolicyDecoding,
    int BatchedRequests,
    Timings RolloutsOneByOne,
    Timings RolloutsBatched,
    Timings DecodingOneByOne,
    Timings DecodingBatched);

public static class EngineLatencies
{
    public const int Trajectories = 64;
    public const int Batch = 20;

    public static EngineResult Run(EngineWorkload work, int runs)
    {
        var scoring = Timings.Measure(() => work.FiveMembers.Score(work.History, work.Start, work.Candidates), runs);
        using var shippedCandidates = work.Shipped.PrepareCandidates(work.World.Catalog.Concat(work.World.Catalog).Concat(work.World.Catalog).Concat(work.World.Catalog).Take(EngineWorkload.CandidateCount).ToArray());
        var scoringShipped = Timings.Measure(() => work.Shipped.Score(work.History, work.Start, shippedCandidates), runs);

        using var playlist = work.FiveMembers.PrepareCandidates(work.Playlist);
        using var shippedPlaylist = work.Shipped.PrepareCandidates(work.Playlist);
        var request = new RolloutRequest(work.History, work.Start, Trajectories, Seed: 1);
        var rollout = Timings.Measure(() => new RolloutEngine(work.FiveMembers).Rollout(request, playlist), runs);
        var rolloutShipped = Timings.Measure(() => new RolloutEngine(work.Shipped).Rollout(request, shippedPlaylist), runs);

        var patient = work.World.Patients.First(p => p.PatientId == work.History.PatientId);
        var proposal = new ProposalRequest(patient, work.Profile, work.PolicyHistory);
        var decoding = Timings.Measure(() => work.Proposer.Propose(proposal), runs);

        // 20 previews at once: the same history under 20 seeds (the cost does not depend on whose history it is).
        var engine = new RolloutEngine(work.Shipped);
        var many = Enumerable.Range(0, Batch).Select(i => new PlaylistRollout(request with { Seed = i + 1 }, shippedPlaylist)).ToArray();
        var oneByOne = Timings.Measure(() => { foreach (var r in many) engine.Rollout(r.Request, r.Playlist); }, Math.Max(3, runs / 4), warmup: 1);
        var batched = Timings.Measure(() => engine.RolloutMany(many), Math.Max(3, runs / 4), warmup: 1);
        var proposals = Enumerable.Range(0, Batch).Select(_ => proposal).ToArray();
        var decodeOneByOne = Timings.Measure(() => { foreach (var p in proposals) work.Proposer.Propose(p); }, Math.Max(3, runs / 4), warmup: 1);
        var decodeBatched = Timings.Measure(() => work.Proposer.ProposeMany(proposals), Math.Max(3, runs / 4), warmup: 1);

        return new EngineResult(work.FiveMembers.Members.Count, work.Candidates.Count, work.History.Count, scoring, scoringShipped,
            Trajectories, work.Playlist.Count, rollout, rolloutShipped, decoding, Batch, oneByOne, batched, decodeOneByOne, decodeBatched);
    }
}
