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

/// <summary>Settings of one policy training run: world, split, size preset, where the world model comes from.</summary>
public sealed record PolicyRunSettings(WorldConfig World, string WorldName, int SplitSeed, bool Quick, string? WorldModel = null)
{
    public BundlePresets Presets => BundlePresets.For(Quick);
    public PolicyOptions PolicyModel => Presets.Policy;
    public BehaviourCloningOptions Cloning => Presets.Cloning;
    public DpoOptions Dpo => Presets.Dpo;
    public WorldModelOptions WorldModelArchitecture => Presets.WorldModel;
    public TrainingOptions WorldModelTraining => Presets.WorldModelTraining;
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
/// A generated world's cold-start split, then the engine's <see cref="BundlePipeline"/> (the same steps the clinic's
/// retraining job runs): world model (trained or given), behaviour cloning, preference pairs, DPO. One thread.
/// </summary>
public static class PolicyPipeline
{
    public static ColdStartSplit SplitOf(GeneratedWorld world, int seed) =>
        ColdStartSplitter.Split(world.Sessions.Select(s => s.PatientId).Distinct(StringComparer.Ordinal), seed);

    public static TrainedPolicies Train(GeneratedWorld world, PolicyRunSettings settings, ModelStore? store,
        Action<string, double> progress, TextWriter log, CancellationToken cancellationToken)
    {
        var split = SplitOf(world, settings.SplitSeed);
        var byId = world.Patients.ToDictionary(p => p.PatientId, StringComparer.Ordinal);
        Patient[] Part(IEnumerable<string> ids) => ids.Select(id => byId[id]).ToArray();
        var data = PolicyTrainingData.Prepare(world.Catalog, Part(split.Train), Part(split.Validation), world.Sessions);
        var clock = Stopwatch.StartNew();

        var worldModel = LoadOrTrainWorldModel(data, settings, store, progress, log, cancellationToken);
        var worldModelSeconds = clock.Elapsed.TotalSeconds;
        try
        {
            var policies = BundlePipeline.TrainPolicies(data, worldModel, settings.Presets, settings.SplitSeed, progress, log, cancellationToken);
            var metrics = new Dictionary<string, double>(policies.Metrics) { ["world_model_seconds"] = worldModelSeconds };
            return new TrainedPolicies(worldModel, policies.Cloned, policies.Dpo, split, metrics);
        }
        catch
        {
            worldModel.Dispose();
            throw;
        }
    }

    private static WorldModelEnsemble LoadOrTrainWorldModel(PolicyTrainingData data, PolicyRunSettings settings, ModelStore? store,
        Action<string, double> progress, TextWriter log, CancellationToken cancellationToken)
    {
        if (settings.WorldModel is { } source)
        {
            if (Directory.Exists(source) && File.Exists(Path.Combine(source, WorldModelEnsemble.DescriptionFile)))
            {
                log.WriteLine($"world model: loaded from folder {source}");
                return WorldModelEnsemble.Load(source);
            }
            if (store is null) throw new ArgumentException($"'{source}' is not a world-model folder, and no model store is configured.");
            log.WriteLine($"world model: {source} from the store");
            return store.LoadWorldModel(source).Ensemble;
        }
        return BundlePipeline.TrainWorldModel(data, settings.Presets, progress, log, cancellationToken);
    }
}
