using System.Diagnostics;
using Amrs.Core.Patients;
using Amrs.Core.Splits;
using Amrs.Engine.Bundles;
using Amrs.Engine.Policies;
using Amrs.Engine.Store;
using Amrs.Engine.Training;
using Amrs.Engine.WorldModels;
using Amrs.Simulation;
using Amrs.Simulation.Generation;

namespace Amrs.Cli.Evaluation.Policy;

/// <summary>Settings of one policy training run: world, split, size preset, and the store id of a world model to use instead of training one.</summary>
public sealed record PolicyRunSettings(WorldConfig World, string WorldName, int SplitSeed, bool Quick, string? WorldModel = null,
    DpoOverrides? DpoChanges = null)
{
    /// <summary>The engine's preset for the size, with any DPO settings given on the command line.</summary>
    public BundlePresets Presets
    {
        get
        {
            var preset = BundlePresets.For(Quick);
            return preset with { Dpo = (DpoChanges ?? new DpoOverrides()).ApplyTo(preset.Dpo) };
        }
    }

    public PolicyOptions PolicyModel => Presets.Policy;
    public BehaviourCloningOptions Cloning => Presets.Cloning;
    public DpoOptions Dpo => Presets.Dpo;
    public WorldModelOptions WorldModelArchitecture => Presets.WorldModel;
    public TrainingOptions WorldModelTraining => Presets.WorldModelTraining;
}

/// <summary>DPO settings given on the command line (beta, pair counts, epochs); null keeps the preset's.</summary>
public sealed record DpoOverrides(double? Beta = null, int? CorrectionPairs = null, int? PlaylistPairs = null, int? Epochs = null, int? StepPairs = null,
    int? StepRounds = null)
{
    public DpoOptions ApplyTo(DpoOptions preset) => preset with
    {
        Beta = Beta ?? preset.Beta,
        CorrectionPairs = CorrectionPairs ?? preset.CorrectionPairs,
        PlaylistPairs = PlaylistPairs ?? preset.PlaylistPairs,
        Epochs = Epochs ?? preset.Epochs,
        StepPairs = StepPairs ?? preset.StepPairs,
        StepRounds = StepRounds ?? preset.StepRounds,
    };
}

/// <summary>The three models of one run (the caller disposes them) and what was measured while training.</summary>
public sealed class TrainedPolicies(WorldModelEnsemble worldModel, PolicyModel cloned, PolicyModel dpo, ColdStartSplit split,
    IReadOnlyDictionary<string, double> metrics) : IDisposable
{
    public WorldModelEnsemble WorldModel { get; } = worldModel;
    public PolicyModel Cloned { get; } = cloned;
    public PolicyModel Dpo { get; } = dpo;
    public ColdStartSplit Split { get; } = split;
    public IReadOnlyDictionary<string, double> Metrics { get; } = metrics;

    public void Dispose()
    {
        WorldModel.Dispose();
        Cloned.Dispose();
        Dpo.Dispose();
    }
}

/// <summary>
/// A generated world's cold-start split, then the engine's <see cref="BundlePipeline"/> steps (the same the clinic's
/// retraining job runs): world model (trained or given), behaviour cloning, preference pairs, DPO against the BC
/// policy loaded frozen; each step optionally cached (<see cref="PolicyStageCache"/>). One thread; nothing awaited inside.
/// </summary>
public static class PolicyPipeline
{
    public static ColdStartSplit SplitOf(GeneratedWorld world, int seed) =>
        ColdStartSplitter.Split(world.Sessions.Select(s => s.PatientId).Distinct(StringComparer.Ordinal), seed);

    public static TrainedPolicies Train(GeneratedWorld world, PolicyRunSettings settings, ModelStore? store,
        Action<string, double> progress, TextWriter log, CancellationToken cancellationToken, PolicyStageCache? cache = null)
    {
        var split = SplitOf(world, settings.SplitSeed);
        var byId = world.Patients.ToDictionary(p => p.PatientId, StringComparer.Ordinal);
        Patient[] Part(IEnumerable<string> ids) => ids.Select(id => byId[id]).ToArray();
        var data = PolicyTrainingData.Prepare(world.Catalog, Part(split.Train), Part(split.Validation), world.Sessions);
        var metrics = new Dictionary<string, double>();

        T Stage<T>(string key, Func<string, T> load, Func<T, string, IReadOnlyList<string>> save, Func<Dictionary<string, double>, T> train) =>
            cache is null ? train(metrics) : cache.GetOrTrain(key, load, save, train, metrics, log);

        var worldModel = Stage("world-model", WorldModelEnsemble.Load, (m, f) => m.Save(f), measured =>
        {
            var clock = Stopwatch.StartNew();
            var model = LoadOrTrainWorldModel(data, settings, store, progress, log, cancellationToken);
            measured["world_model_seconds"] = clock.Elapsed.TotalSeconds;
            return model;
        });
        PolicyModel? cloned = null;
        try
        {
            var presets = settings.Presets;
            cloned = Stage(CloningKey(settings), PolicyModel.Load, (m, f) => m.Save(f), measured =>
                BundlePipeline.TrainCloning(data, presets, measured, progress, log, cancellationToken));
            var dpoOptions = BundlePipeline.DpoOptionsFor(presets, settings.SplitSeed);
            var dpoPolicy = Stage(DpoKey(settings), PolicyModel.Load, (m, f) => m.Save(f), measured =>
                BundlePipeline.TrainDpo(data, worldModel, cloned, dpoOptions, measured, progress, log, cancellationToken));
            return new TrainedPolicies(worldModel, cloned, dpoPolicy, split, metrics);
        }
        catch
        {
            worldModel.Dispose();
            cloned?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The cached behaviour-cloning stage's name: it carries the policy's architecture and cloning options, so changed
    /// options never reuse a stale model.
    /// </summary>
    public static string CloningKey(PolicyRunSettings settings) => $"bc-{Key(settings.Presets.Policy)}{Key(settings.Presets.Cloning)}";

    /// <summary>The cached DPO stage's name: its options and the behaviour-cloning stage it starts from.</summary>
    public static string DpoKey(PolicyRunSettings settings) =>
        $"dpo-{Key(BundlePipeline.DpoOptionsFor(settings.Presets, settings.SplitSeed))}-on-{CloningKey(settings)}";

    /// <summary>A short hash of any options record (its JSON), for cache names.</summary>
    public static string Key<T>(T options) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            System.Text.Json.JsonSerializer.Serialize(options))))[..10];

    private static WorldModelEnsemble LoadOrTrainWorldModel(PolicyTrainingData data, PolicyRunSettings settings, ModelStore? store,
        Action<string, double> progress, TextWriter log, CancellationToken cancellationToken)
    {
        if (settings.WorldModel is { } id)
        {
            if (store is null) throw new ArgumentException($"World model '{id}' is named, but no model store is given to load it from.");
            log.WriteLine($"world model: {id} from the store {store.Root} (files verified)");
            return store.LoadWorldModel(id).Ensemble;
        }
        return BundlePipeline.TrainWorldModel(data, settings.Presets, progress, log, cancellationToken);
    }
}
