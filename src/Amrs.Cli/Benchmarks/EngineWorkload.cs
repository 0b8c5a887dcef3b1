using Amrs.Core.Affect;
using Amrs.Core.Catalog;
using Amrs.Core.Utility;
using Amrs.Cli.WorldModels;
using Amrs.Engine.Episodes;
using Amrs.Engine.Policies;
using Amrs.Engine.Store;
using Amrs.Engine.WorldModels;
using Amrs.Simulation.Generation;

namespace Amrs.Cli.Benchmarks;

/// <summary>
/// What the engine benchmarks run on: the shipped bundle's models, a generated default world (catalog and logged
/// histories), the world model at 5 members (the ensemble size: the shipped one's own five; a smaller shipped
/// ensemble is widened by repeating members, which costs exactly what distinct members cost), 10,000 candidate tracks
/// and a history of 64 steps.
/// </summary>
public sealed class EngineWorkload : IDisposable
{
    public const int CandidateCount = 10_000;
    public const int HistorySteps = 64;
    public const int BenchMembers = 5;

    private EngineWorkload(GeneratedWorld world, WorldModelEnsemble shipped, WorldModelEnsemble fiveMembers, PlaylistProposer proposer,
        EncodedHistory history, EncodedHistory policyHistory, CandidateSet candidates, IReadOnlyList<Track> playlist)
    {
        World = world;
        Shipped = shipped;
        FiveMembers = fiveMembers;
        Proposer = proposer;
        History = history;
        PolicyHistory = policyHistory;
        Candidates = candidates;
        Playlist = playlist;
    }

    public GeneratedWorld World { get; }
    /// <summary>The shipped ensemble (its own member count).</summary>
    public WorldModelEnsemble Shipped { get; }
    /// <summary>The shipped members, repeated up to 5 when there are fewer.</summary>
    public WorldModelEnsemble FiveMembers { get; }
    public PlaylistProposer Proposer { get; }
    /// <summary>A patient's last 64 logged steps, encoded for the world model.</summary>
    public EncodedHistory History { get; }
    /// <summary>The same patient's history encoded for the policy.</summary>
    public EncodedHistory PolicyHistory { get; }
    /// <summary>10,000 tracks (the catalog, then copies under new ids) featurised for the 5-member ensemble.</summary>
    public CandidateSet Candidates { get; }
    /// <summary>12 tracks to roll out.</summary>
    public IReadOnlyList<Track> Playlist { get; }

    public StepContext Start => new(SessionMode.Calm, ModeTargets.DefaultTarget(SessionMode.Calm), StartsSession: true, PositionInSession: 0);

    public UtilityProfile Profile => UtilityProfile.DefaultFor(SessionMode.Calm) with { PlaylistLength = 12 };

    public static EngineWorkload Load(string modelsFolder, int patients)
    {
        var store = new ModelStore(modelsFolder);
        var bundleId = Directory.EnumerateDirectories(modelsFolder)
            .Where(d => File.Exists(Path.Combine(d, BundleManifest.FileName)))
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).LastOrDefault()
            ?? throw new InvalidOperationException($"No model bundle in {modelsFolder}.");
        var manifest = store.OpenBundle(bundleId);
        var (shipped, _) = store.LoadWorldModel(manifest.ModelFor(BundleRoles.WorldModel));
        var (policy, _) = store.LoadPolicy(manifest.ModelFor(BundleRoles.Dpo));

        var world = WorldGenerator.Generate(new WorldChoice(WorldChoice.DefaultName, Patients: patients).Config);
        var catalog = world.Catalog;
        var byPatient = world.Sessions.ToLookup(s => s.PatientId, StringComparer.Ordinal);
        var patient = world.Patients.MaxBy(p => byPatient[p.PatientId].Sum(s => s.Steps.Count))!;
        var history = shipped.CreateEncoder(catalog).EncodeHistory(patient, byPatient[patient.PatientId]).TakeLast(HistorySteps);
        if (history.Count < HistorySteps) throw new InvalidOperationException($"The longest history has only {history.Count} steps.");
        var policyHistory = policy.CreateEncoder(catalog).EncodeHistory(patient, byPatient[patient.PatientId]);

        var fiveMembers = Widen(shipped, BenchMembers);
        var candidates = fiveMembers.PrepareCandidates(Enumerable.Range(0, CandidateCount)
            .Select(i => i < catalog.Count ? catalog[i] : catalog[i % catalog.Count] with { TrackId = $"{catalog[i % catalog.Count].TrackId}-copy-{i}" })
            .ToArray());
        var playlist = catalog.Where(t => t.Arousal <= ModeTargets.MaxTrackArousal(SessionMode.Calm)).Take(12).ToArray();
        return new EngineWorkload(world, shipped, fiveMembers, new PlaylistProposer(new PolicyCatalog(policy, catalog)), history, policyHistory,
            candidates, playlist);
    }

    /// <summary>An ensemble of <paramref name="members"/> members whose weights repeat the given ensemble's members in turn.</summary>
    private static WorldModelEnsemble Widen(WorldModelEnsemble ensemble, int members)
    {
        var weights = ensemble.Members.Select(m =>
        {
            using var stream = new MemoryStream();
            m.save(stream);
            return stream.ToArray();
        }).ToArray();
        var widened = Enumerable.Range(0, members).Select(k =>
        {
            var member = new WorldModel(ensemble.Options, ensemble.Layout, ensemble.Vocabulary.Rows);
            using var stream = new MemoryStream(weights[k % weights.Length]);
            member.load(stream);
            return member;
        }).ToArray();
        return new WorldModelEnsemble(ensemble.Spec, ensemble.Vocabulary, ensemble.Options, widened, ensemble.Ood);
    }

    public void Dispose()
    {
        Candidates.Dispose();
        FiveMembers.Dispose();
        Shipped.Dispose();
        Proposer.Catalog.Dispose();
        Proposer.Policy.Dispose();
    }
}
