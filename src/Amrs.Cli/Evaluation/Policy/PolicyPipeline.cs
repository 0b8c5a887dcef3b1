using System.Diagnostics;
using Amrs.Core.Patients;
using Amrs.Core.Splits;
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
    public PolicyOptions PolicyModel => Quick ? PolicyOptions.Quick : PolicyOptions.Default;
    public BehaviourCloningOptions Cloning => Quick ? BehaviourCloningOptions.Quick : BehaviourCloningOptions.Default;
    public DpoOptions Dpo => (DpoChanges ?? new DpoOverrides()).ApplyTo(Quick ? DpoOptions.Quick : DpoOptions.Default);
    public WorldModelOptions WorldModelArchitecture => Quick ? WorldModelOptions.Quick : WorldModelOptions.Default;
    public TrainingOptions WorldModelTraining => Quick ? TrainingOptions.Quick : TrainingOptions.Default;
}

/// <summary>DPO settings given on the command line (beta, pair counts, epochs); null keeps the preset's.</summary>
public sealed record DpoOverrides(double? Beta = null, int? CorrectionPairs = null, int? PlaylistPairs = null, int? Epochs = null)
{
    public DpoOptions ApplyTo(DpoOptions preset) => preset with
    {
        Beta = Beta ?? preset.Beta,
        CorrectionPairs = CorrectionPairs ?? preset.CorrectionPairs,
        PlaylistPairs = PlaylistPairs ?? preset.PlaylistPairs,
        Epochs = Epochs ?? preset.Epochs,
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
/// World model (trained or given), behaviour cloning on the training split's logs, preference pairs from the
/// world model, DPO against the BC policy loaded frozen. Everything on one thread; nothing awaited inside.
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
        PolicyModel? cloned = null, reference = null;
        try
        {
            cloned = Stage("bc", PolicyModel.Load, (m, f) => m.Save(f), measured =>
            {
                var bc = new BehaviourCloningTrainer(settings.PolicyModel, settings.Cloning).Train(data,
                    new Progress(p => progress("behaviour cloning", p.Fraction)), cancellationToken);
                measured["bc_validation_nll"] = bc.ValidationLoss;
                measured["bc_validation_top1"] = bc.ValidationTopOneAccuracy;
                measured["bc_seconds"] = bc.Duration.TotalSeconds;
                log.WriteLine($"behaviour cloning: {bc.Epochs} epochs, validation NLL {bc.ValidationLoss:0.000}, top-1 {bc.ValidationTopOneAccuracy:P1}, {bc.Duration.TotalSeconds:0}s");
                return bc.Policy;
            });

            // The reference is a frozen copy of the BC weights (through a saved copy, never shared).
            var folder = Directory.CreateTempSubdirectory("amrs-bc-reference-").FullName;
            try
            {
                cloned.Save(folder);
                reference = PolicyModel.LoadFrozen(folder);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }

            var dpoOptions = settings.Dpo with { Seed = settings.Dpo.Seed + settings.SplitSeed };
            var dpoPolicy = Stage($"dpo-{OptionsKey(dpoOptions)}", PolicyModel.Load, (m, f) => m.Save(f), measured =>
                TrainDpo(world, data, worldModel, reference, dpoOptions, measured, progress, log, cancellationToken));
            return new TrainedPolicies(worldModel, cloned, dpoPolicy, split, metrics);
        }
        catch
        {
            worldModel.Dispose();
            cloned?.Dispose();
            throw;
        }
        finally
        {
            reference?.Dispose();
        }
    }

    /// <summary>A short hash of the DPO options, naming the cached DPO stage trained with them.</summary>
    public static string OptionsKey(DpoOptions options) => Key(options);

    /// <summary>A short hash of any options record (its JSON), for cache names.</summary>
    public static string Key<T>(T options) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            System.Text.Json.JsonSerializer.Serialize(options))))[..10];

    private static PolicyModel TrainDpo(GeneratedWorld world, PolicyTrainingData data, WorldModelEnsemble worldModel, PolicyModel reference,
        DpoOptions dpoOptions, Dictionary<string, double> metrics, Action<string, double> progress, TextWriter log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var catalog = new PolicyCatalog(reference, world.Catalog);
        var builder = new PreferencePairBuilder(worldModel, new PlaylistProposer(catalog), dpoOptions);
        var pairProgress = new Progress(p => progress("preference pairs", p.Fraction));
        var pairs = builder.Build(data, data.Histories.Training, dpoOptions.Seed, pairProgress, cancellationToken);
        var validationPairs = builder.Build(data, data.Histories.Validation, dpoOptions.Seed + 1, null, cancellationToken)
            .Take(Math.Max(50, pairs.Count / 8)).ToArray();
        metrics["dpo_pairs"] = pairs.Count;
        metrics["dpo_pairs_seconds"] = clock.Elapsed.TotalSeconds;
        log.WriteLine($"preference pairs: {pairs.Count(p => p.Kind == PreferencePair.Correction)} corrections, " +
            $"{pairs.Count(p => p.Kind == PreferencePair.Playlist)} playlist pairs, {validationPairs.Length} validation pairs, {clock.Elapsed.TotalSeconds:0}s");

        var dpo = new DpoTrainer(dpoOptions).Train(reference, world.Catalog, pairs, validationPairs,
            new Progress(p => progress("dpo", p.Fraction)), cancellationToken);
        metrics["dpo_validation_loss"] = dpo.ValidationLoss;
        metrics["dpo_validation_pair_accuracy"] = dpo.ValidationAccuracy;
        metrics["dpo_seconds"] = dpo.Duration.TotalSeconds;
        log.WriteLine($"DPO: validation loss {dpo.InitialValidationLoss:0.000} -> {dpo.ValidationLoss:0.000}, " +
            $"pair accuracy {dpo.InitialValidationAccuracy:P1} -> {dpo.ValidationAccuracy:P1}, {dpo.Duration.TotalSeconds:0}s");
        return dpo.Policy;
    }

    private static WorldModelEnsemble LoadOrTrainWorldModel(PolicyTrainingData data, PolicyRunSettings settings, ModelStore? store,
        Action<string, double> progress, TextWriter log, CancellationToken cancellationToken)
    {
        if (settings.WorldModel is { } id)
        {
            if (store is null) throw new ArgumentException($"World model '{id}' is named, but no model store is given to load it from.");
            log.WriteLine($"world model: {id} from the store {store.Root} (files verified)");
            return store.LoadWorldModel(id).Ensemble;
        }
        var trainer = new WorldModelTrainer(settings.WorldModelArchitecture, settings.WorldModelTraining);
        var result = trainer.Train(data.Histories,
            new WorldModelProgress(p => progress("world model", ((p.Member - 1) + (double)p.Epoch / p.MaxEpochs) / p.Members)), cancellationToken);
        log.WriteLine($"world model: trained ({result.Members.Count} members, {result.Duration.TotalSeconds:0}s)");
        return result.Ensemble;
    }

    /// <summary>Reports on the calling thread (System.Progress would post to the thread pool).</summary>
    private sealed class Progress(Action<PolicyTrainingProgress> report) : IProgress<PolicyTrainingProgress>
    {
        public void Report(PolicyTrainingProgress value) => report(value);
    }

    private sealed class WorldModelProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
