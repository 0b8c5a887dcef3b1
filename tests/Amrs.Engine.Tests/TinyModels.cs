using Amrs.Engine.Training;
using Amrs.Engine.WorldModels;

namespace Amrs.Engine.Tests;

/// <summary>Small architectures and a shared, once-trained ensemble so the whole suite stays fast.</summary>
public static class TinyModels
{
    public static WorldModelOptions Options { get; } = new()
    {
        ModelDim = 32, Heads = 2, Layers = 1, FeedForwardDim = 32, TrackEmbeddingDim = 16, HeadHiddenDim = 64,
        IdEmbeddingDim = 4, MaxHistory = 16, Dropout = 0, IdDropout = 0, FilterDim = 3,
    };

    public static TrainingOptions Training { get; } = new()
    {
        Members = 3, MaxEpochs = 30, BatchSize = 8, LearningRate = 5e-3, Patience = 30, Seed = 11, Bootstrap = false,
    };

    private static readonly Lazy<TrainedToy> Shared = new(() => TrainedToy.Create(new ToyWorld(patients: 40, sessionsPerPatient: 4)));

    /// <summary>An ensemble trained once on the default toy world (do not dispose it).</summary>
    public static TrainedToy Trained => Shared.Value;
}

public sealed class TrainedToy
{
    private TrainedToy(ToyWorld world, WorldModelData data, WorldModelEnsemble ensemble)
    {
        World = world;
        Data = data;
        Ensemble = ensemble;
    }

    public ToyWorld World { get; }
    public WorldModelData Data { get; }
    public WorldModelEnsemble Ensemble { get; }

    public static TrainedToy Create(ToyWorld world)
    {
        var (training, validation) = world.Split();
        var data = WorldModelData.Prepare(world.Catalog, training, validation, world.Sessions);
        var result = new WorldModelTrainer(TinyModels.Options, TinyModels.Training).Train(data, null, TestContext.Current.CancellationToken);
        return new TrainedToy(world, data, result.Ensemble);
    }
}
