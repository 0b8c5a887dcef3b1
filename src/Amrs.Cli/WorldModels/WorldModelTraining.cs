using System.Diagnostics;
using Amrs.Core.Splits;
using Amrs.Engine.Evaluation;
using Amrs.Engine.Store;
using Amrs.Engine.Training;
using Amrs.Engine.WorldModels;
using TorchSharp;

namespace Amrs.Cli.WorldModels;

/// <summary>What to train and where to put it.</summary>
public sealed record WorldModelTrainingRequest(
    TrainingData Data,
    bool Quick,
    int Seed,
    int SplitSeed,
    int Threads,
    string StoreRoot,
    bool Bundle,
    string CommandLine,
    int? Members = null,
    int? MaxEpochs = null,
    int? FilterDim = null);

/// <summary>The stored model (and bundle, if asked for) and how training went.</summary>
public sealed record TrainedWorldModel(ModelCard Card, string Folder, BundleManifest? Bundle, WorldModelTrainingResult Result,
    ColdStartSplit Split, TimeSpan Duration);

/// <summary>
/// Trains a world model on the training patients of a cold-start split (early stopping on the validation
/// patients), scores it one step ahead on the test patients for its card, and stores it. Runs entirely on the
/// calling thread (torch dispose scopes are per thread); the store writes atomically, so a cancelled run leaves
/// no model behind.
/// </summary>
public static class WorldModelTraining
{
    /// <summary>The split seed used unless another is given; recorded in every card.</summary>
    public const int DefaultSplitSeed = 2026;

    public static (WorldModelOptions Model, TrainingOptions Training) Presets(bool quick, int seed) => quick
        ? (WorldModelOptions.Quick, TrainingOptions.Quick with { Seed = seed })
        : (WorldModelOptions.Default, TrainingOptions.Default with { Seed = seed });

    public static TrainedWorldModel Run(WorldModelTrainingRequest request, IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        torch.set_num_threads(request.Threads);
        var data = request.Data;
        var split = data.Split(request.SplitSeed);
        if (split.Train.Count == 0 || split.Validation.Count == 0)
            throw new TrainingDataException($"Too few patients with sessions ({split.Train.Count + split.Validation.Count + split.Test.Count}) for a training/validation/test split.");
        var prepared = WorldModelData.Prepare(data.Catalog, data.PatientsIn(split.Train), data.PatientsIn(split.Validation), data.Sessions);
        var (modelOptions, trainingOptions) = Presets(request.Quick, request.Seed);
        modelOptions = modelOptions with { FilterDim = request.FilterDim ?? modelOptions.FilterDim };
        trainingOptions = trainingOptions with
        {
            Members = request.Members ?? trainingOptions.Members,
            MaxEpochs = request.MaxEpochs ?? trainingOptions.MaxEpochs,
        };
        var trainer = new WorldModelTrainer(modelOptions, trainingOptions);

        var result = trainer.Train(prepared, progress, cancellationToken);
        using var ensemble = result.Ensemble;
        cancellationToken.ThrowIfCancellationRequested();

        var metrics = new SortedDictionary<string, double>(TestMetrics(ensemble, data, split).ToDictionary(), StringComparer.Ordinal)
        {
            ["split.train-patients"] = split.Train.Count,
            ["split.validation-patients"] = split.Validation.Count,
            ["split.test-patients"] = split.Test.Count,
            ["training.seconds"] = Math.Round(result.Duration.TotalSeconds, 1),
            ["training.torch-threads"] = request.Threads,
        };
        var notes = $"Trained on {data.Source} with `{request.CommandLine}` ({(request.Quick ? "quick" : "default")} preset, " +
                    $"seed {request.Seed}, {request.Threads} torch thread(s)). Metrics: one step ahead on the {split.Test.Count} " +
                    $"cold-start test patients of split seed {request.SplitSeed}, never seen in training.";
        var store = new ModelStore(request.StoreRoot);
        var card = store.SaveWorldModel(ensemble, new WorldModelProvenance(
            data.Fingerprint(), data.SimulatorConfigHash, request.SplitSeed, trainingOptions, metrics, notes), cancellationToken);
        var bundle = request.Bundle
            ? store.SaveBundle(new Dictionary<string, string> { [BundleRoles.WorldModel] = card.Id },
                $"World model {card.Id}; the policies are added when trained (see models/README.md).")
            : null;
        return new TrainedWorldModel(card, Path.Combine(store.Root, card.Id), bundle, result, split, clock.Elapsed);
    }

    /// <summary>The engine's one-step metrics on the test patients (model-card names, e.g. "valence.r2.later-sessions").</summary>
    public static IReadOnlyDictionary<string, double> TestMetrics(WorldModelEnsemble ensemble, TrainingData data, ColdStartSplit split)
    {
        if (split.Test.Count == 0) return new Dictionary<string, double>();
        var encoder = ensemble.CreateEncoder(data.Catalog);
        var byPatient = data.Sessions.ToLookup(s => s.PatientId, StringComparer.Ordinal);
        var histories = data.PatientsIn(split.Test).Select(p => encoder.EncodeHistory(p, byPatient[p.PatientId])).Where(h => h.Count > 0);
        return OneStepEvaluator.ToMetrics(OneStepEvaluator.Summarise(OneStepEvaluator.Predict(ensemble, histories)));
    }
}
