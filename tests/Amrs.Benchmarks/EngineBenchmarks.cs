using Amrs.Cli.Benchmarks;
using Amrs.Clinic.Services.Engine;
using Amrs.Engine.Policies;
using Amrs.Engine.Rollouts;
using Amrs.Engine.WorldModels;
using BenchmarkDotNet.Attributes;
using TorchSharp;

namespace Amrs.Benchmarks;

/// <summary>
/// The engine's serving calls under BenchmarkDotNet, on the same workload as <c>amrs bench</c> (shipped bundle,
/// 5-member ensemble, 10,000 candidates, a 64-step history). One torch thread unless AMRS_TORCH_THREADS says otherwise.
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private EngineWorkload _work = null!;
    private CandidateSet _playlist = null!;
    private CandidateSet _shippedPlaylist = null!;
    private RolloutRequest _request = null!;
    private ProposalRequest _proposal = null!;
    private PlaylistRollout[] _twenty = [];

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(TorchThreads.FromEnvironment());
        _work = EngineWorkload.Load(ShippedModels.Folder, patients: 300);
        _playlist = _work.FiveMembers.PrepareCandidates(_work.Playlist);
        _shippedPlaylist = _work.Shipped.PrepareCandidates(_work.Playlist);
        _request = new RolloutRequest(_work.History, _work.Start, EngineLatencies.Trajectories, Seed: 1);
        var patient = _work.World.Patients.First(p => p.PatientId == _work.History.PatientId);
        _proposal = new ProposalRequest(patient, _work.Profile, _work.PolicyHistory);
        _twenty = Enumerable.Range(0, EngineLatencies.Batch).Select(i => new PlaylistRollout(_request with { Seed = i + 1 }, _shippedPlaylist)).ToArray();
    }

    [Benchmark(Description = "score 10,000 candidates, 5 members")]
    public IReadOnlyList<TrackPrediction> Score() => _work.FiveMembers.Score(_work.History, _work.Start, _work.Candidates);

    [Benchmark(Description = "rollout 64 x 12 steps x 5 members")]
    public RolloutResult Rollout() => new RolloutEngine(_work.FiveMembers).Rollout(_request, _playlist);

    [Benchmark(Description = "decode a 12-track care proposal")]
    public PlaylistProposal Decode() => _work.Proposer.Propose(_proposal);

    [Benchmark(Description = "20 preview rollouts one by one (shipped ensemble)")]
    public int RolloutsOneByOne()
    {
        var engine = new RolloutEngine(_work.Shipped);
        return _twenty.Sum(r => engine.Rollout(r.Request, r.Playlist).Steps.Count);
    }

    [Benchmark(Description = "20 preview rollouts batched (shipped ensemble)")]
    public int RolloutsBatched() => new RolloutEngine(_work.Shipped).RolloutMany(_twenty).Sum(r => r.Steps.Count);

    [GlobalCleanup]
    public void Cleanup()
    {
        _playlist.Dispose();
        _shippedPlaylist.Dispose();
        _work.Dispose();
    }
}

/// <summary>Torch threads for the benchmarks: AMRS_TORCH_THREADS, else 1 (the clinic's engine thread default).</summary>
internal static class TorchThreads
{
    public static int FromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable("AMRS_TORCH_THREADS"), out var threads) && threads > 0 ? threads : 1;
}
