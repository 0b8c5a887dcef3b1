using System.Diagnostics;
using Amrs.Engine.Episodes;
using Amrs.Engine.Training;
using Amrs.Engine.WorldModels;
using Amrs.Simulation.Generation;
using TorchSharp;

namespace Amrs.Cli.Benchmarks;

/// <summary>
/// A world-model training job on its own thread (the real training step on logged histories, one torch thread),
/// as a retraining job in the clinic process would run, until stopped; reports the steps it managed.
/// </summary>
public sealed class BackgroundTraining : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private long _steps;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public BackgroundTraining(GeneratedWorld world)
    {
        _thread = new Thread(() => Train(world)) { IsBackground = true, Name = "benchmark training job" };
        _thread.Start();
    }

    public double StepsPerSecond => Interlocked.Read(ref _steps) / _clock.Elapsed.TotalSeconds;

    private void Train(GeneratedWorld world)
    {
        torch.set_num_threads(1);
        BackgroundPriority.LowerCurrentThread(); // as the clinic's retraining job does
        var data = TrainingWindows.Prepare(world);
        var trainer = new WorldModelTrainer(TrainingThroughput.Model, TrainingOptions.Default with { BatchSize = TrainingThroughput.BatchSize });
        var windows = data.Training.SelectMany(h => HistoryWindow.Cut(h, TrainingThroughput.SequenceLength)).ToArray();
        using var model = new WorldModel(TrainingThroughput.Model, data.Layout, data.Vocabulary.Rows);
        model.train();
        using var optimizer = new SafeAdamW(model.parameters(), 5e-4, 1e-4);
        var random = new Random(3);
        while (!_stop.IsCancellationRequested)
        {
            random.Shuffle(windows);
            var batches = windows.Chunk(TrainingThroughput.BatchSize).ToArray();
            trainer.TrainBatches(model, optimizer, batches, () =>
            {
                Interlocked.Increment(ref _steps);
                return _stop.IsCancellationRequested;
            });
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }
}
