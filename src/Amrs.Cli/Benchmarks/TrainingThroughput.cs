using System.Diagnostics;
using Amrs.Cli.WorldModels;
using Amrs.Core.Splits;
using Amrs.Engine.Episodes;
using Amrs.Engine.Training;
using Amrs.Engine.WorldModels;
using Amrs.Simulation.Generation;
using TorchSharp;

namespace Amrs.Cli.Benchmarks;

/// <summary>Training steps per second of one world-model member: the real loop beside a bare loop on random tensors.</summary>
public sealed record TrainingResult(
    int Layers, int ModelDim, int Heads, int SequenceLength, int BatchSize, int Steps,
    double RealStepsPerSecond, double RealTokensPerSecond, double RealPaddedTokensPerSecond,
    double BareStepsPerSecond, double BareTokensPerSecond, double RealShareOfBare,
    double DataPreparationMsPerStep, double RealShareOfPaddedTokens, double RealPrebuiltStepsPerSecond);

/// <summary>
/// The standard configuration (2 layers, d_model 64, 4 heads, sequences of 32, batches of 64). The real loop is
/// <see cref="WorldModelTrainer.TrainBatches"/> on shuffled windows of logged histories (tensors built from the
/// histories, labels masked where unobserved), as an epoch runs it; the bare loop is <see cref="WorldModelTrainer.Step"/>
/// on random tensors of the full batch shape made in advance. Real tokens are real steps (padding not counted); also
/// reported: the same real batches with their tensors built beforehand (what the data's content costs by itself).
/// </summary>
public static class TrainingThroughput
{
    public const int SequenceLength = 32;
    public const int BatchSize = 64;

    public static WorldModelOptions Model => WorldModelOptions.Default with { MaxHistory = SequenceLength };

    public static TrainingResult Run(GeneratedWorld world, int steps)
    {
        var data = TrainingWindows.Prepare(world);
        var trainer = new WorldModelTrainer(Model, TrainingOptions.Default with { BatchSize = BatchSize });
        var windows = data.Training.SelectMany(h => HistoryWindow.Cut(h, SequenceLength)).ToArray();
        var random = new Random(1);
        random.Shuffle(windows);
        var batches = Enumerable.Range(0, steps + 3)
            .Select(i => Enumerable.Range(0, BatchSize).Select(j => windows[(i * BatchSize + j) % windows.Length]).ToArray())
            .ToArray();

        torch.manual_seed(1);
        using var model = new WorldModel(Model, data.Layout, data.Vocabulary.Rows);
        model.train();
        using var optimizer = new SafeAdamW(model.parameters(), 5e-4, 1e-4);
        using var generator = new torch.Generator(2, torch.CPU);
        var inputs = Enumerable.Range(0, 4).Select(_ => HistoryTensors.Random(SequenceLength, BatchSize, data.Layout, data.Vocabulary.Rows, generator)).ToArray();
        try
        {
            void Bare(int i)
            {
                using var scope = torch.NewDisposeScope();
                trainer.Step(model, optimizer, inputs[i % inputs.Length]);
            }
            for (var i = 0; i < 3; i++)
            {
                trainer.TrainBatches(model, optimizer, [batches[i]]);
                Bare(i);
            }
            // Real and bare steps alternate in short blocks, so a neighbour's load on a shared machine hits both alike.
            var clock = new Stopwatch();
            double realSeconds = 0, bareSeconds = 0, dataSeconds = 0, prebuiltSeconds = 0;
            long realTokens = 0, paddedTokens = 0;
            const int block = 5;
            for (var done = 0; done < steps; done += block)
            {
                var count = Math.Min(block, steps - done);
                clock.Restart();
                trainer.TrainBatches(model, optimizer, batches[(3 + done)..(3 + done + count)]);
                realSeconds += clock.Elapsed.TotalSeconds;
                clock.Restart();
                for (var i = 0; i < count; i++) Bare(done + i);
                bareSeconds += clock.Elapsed.TotalSeconds;
                for (var i = 0; i < count; i++)
                {
                    clock.Restart();
                    using var prebuilt = HistoryTensors.ForTraining(batches[3 + done + i], data.Layout);
                    dataSeconds += clock.Elapsed.TotalSeconds;
                    clock.Restart();
                    using (torch.NewDisposeScope()) trainer.Step(model, optimizer, prebuilt);
                    prebuiltSeconds += clock.Elapsed.TotalSeconds;
                }
                foreach (var batch in batches.Skip(3 + done).Take(count))
                {
                    realTokens += batch.Sum(w => w.Length);
                    paddedTokens += (long)batch.Max(w => w.Length) * batch.Length;
                }
            }
            var bareTokensPerSecond = (double)steps * BatchSize * SequenceLength / bareSeconds;
            var realTokensPerSecond = realTokens / realSeconds;
            return new TrainingResult(Model.Layers, Model.ModelDim, Model.Heads, SequenceLength, BatchSize, steps,
                steps / realSeconds, realTokensPerSecond, paddedTokens / realSeconds,
                steps / bareSeconds, bareTokensPerSecond, realTokensPerSecond / bareTokensPerSecond,
                dataSeconds * 1000 / steps, (double)realTokens / paddedTokens, steps / prebuiltSeconds);
        }
        finally
        {
            foreach (var input in inputs) input.Dispose();
        }
    }
}

/// <summary>The training side of the default cold-start split of a generated world, prepared as the trainer prepares it.</summary>
public static class TrainingWindows
{
    public static WorldModelData Prepare(GeneratedWorld world)
    {
        var split = ColdStartSplitter.Split(world.Sessions.Select(s => s.PatientId), WorldModelTraining.DefaultSplitSeed);
        var train = split.Train.ToHashSet(StringComparer.Ordinal);
        var validation = split.Validation.ToHashSet(StringComparer.Ordinal);
        return WorldModelData.Prepare(world.Catalog, world.Patients.Where(p => train.Contains(p.PatientId)).ToArray(),
            world.Patients.Where(p => validation.Contains(p.PatientId)).ToArray(), world.Sessions);
    }
}
