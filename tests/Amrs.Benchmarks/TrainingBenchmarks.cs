using Amrs.Cli.Benchmarks;
using Amrs.Cli.WorldModels;
using Amrs.Engine.Episodes;
using Amrs.Engine.Training;
using Amrs.Engine.WorldModels;
using Amrs.Simulation.Generation;
using BenchmarkDotNet.Attributes;
using TorchSharp;

namespace Amrs.Benchmarks;

/// <summary>
/// One world-model training step of the standard configuration (2 layers, d_model 64, 4 heads, sequences of 32,
/// batches of 64): the real loop on logged histories beside the bare step on random tensors.
/// </summary>
public class TrainingBenchmarks
{
    private WorldModelTrainer _trainer = null!;
    private WorldModel _model = null!;
    private SafeAdamW _optimizer = null!;
    private HistoryWindow[][] _batches = [];
    private HistoryTensors _random = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(TorchThreads.FromEnvironment());
        var world = WorldGenerator.Generate(new WorldChoice(WorldChoice.DefaultName, Patients: 300).Config);
        var data = TrainingWindows.Prepare(world);
        _trainer = new WorldModelTrainer(TrainingThroughput.Model, TrainingOptions.Default with { BatchSize = TrainingThroughput.BatchSize });
        var windows = data.Training.SelectMany(h => HistoryWindow.Cut(h, TrainingThroughput.SequenceLength)).ToArray();
        new Random(1).Shuffle(windows);
        _batches = windows.Chunk(TrainingThroughput.BatchSize).Where(b => b.Length == TrainingThroughput.BatchSize).ToArray();
        torch.manual_seed(1);
        _model = new WorldModel(TrainingThroughput.Model, data.Layout, data.Vocabulary.Rows);
        _model.train();
        _optimizer = new SafeAdamW(_model.parameters(), 5e-4, 1e-4);
        using var generator = new torch.Generator(2, torch.CPU);
        _random = HistoryTensors.Random(TrainingThroughput.SequenceLength, TrainingThroughput.BatchSize, data.Layout, data.Vocabulary.Rows, generator);
    }

    [Benchmark(Description = "4 real training steps (tensors built from histories)", OperationsPerInvoke = 4)]
    public double RealSteps()
    {
        var batches = Enumerable.Range(0, 4).Select(_ => _batches[_next++ % _batches.Length]).ToArray();
        return _trainer.TrainBatches(_model, _optimizer, batches);
    }

    [Benchmark(Description = "bare training step on random tensors", Baseline = true)]
    public float BareStep()
    {
        using var scope = torch.NewDisposeScope();
        return _trainer.Step(_model, _optimizer, _random);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _random.Dispose();
        _optimizer.Dispose();
        _model.Dispose();
    }
}
