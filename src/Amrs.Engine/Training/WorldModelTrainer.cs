using System.Diagnostics;
using Amrs.Engine.Episodes;
using Amrs.Engine.WorldModels;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.Training;

/// <summary>
/// Trains a <see cref="WorldModelEnsemble"/>: each member from its own seed (optionally a bootstrap sample),
/// AdamW (<see cref="SafeAdamW"/>), one dispose scope per batch, zero_grad -> backward -> clip -> step,
/// early stopping on validation loss
/// with the best weights restored, then the out-of-distribution calibration on validation playlists.
/// Deterministic for a seed at a fixed torch thread count. Writes no files: persist with the model store.
/// Run it on one thread and never await inside it (dispose scopes are per thread).
/// </summary>
public sealed class WorldModelTrainer(WorldModelOptions model, TrainingOptions training)
{
    public WorldModelOptions Model { get; } = model;
    public TrainingOptions Training { get; } = training;

    public WorldModelTrainingResult Train(WorldModelData data, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        Model.Validate();
        Training.Validate();
        if (data.Training.Count == 0) throw new ArgumentException("No training histories.", nameof(data));

        var clock = Stopwatch.StartNew();
        var members = new List<WorldModel>();
        var summaries = new List<MemberSummary>();
        try
        {
            for (var k = 0; k < Training.Members; k++)
            {
                // Each member gets an equal share of what is left, so one slow member cannot starve the rest.
                var budgetEnd = Training.TimeBudget is { } budget
                    ? clock.Elapsed + TimeSpan.FromTicks(Math.Max(0, (budget - clock.Elapsed).Ticks) / (Training.Members - k))
                    : (TimeSpan?)null;
                var (member, summary) = TrainMember(data, k, clock, budgetEnd, progress, cancellationToken);
                members.Add(member);
                summaries.Add(summary);
            }

            var ensemble = new WorldModelEnsemble(data.Spec, data.Vocabulary, Model, members);
            if (data.Validation.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ensemble.Ood = Calibrate(ensemble, data);
            }
            return new WorldModelTrainingResult(ensemble, summaries, clock.Elapsed);
        }
        catch
        {
            foreach (var member in members) member.Dispose();
            throw;
        }
    }

    private (WorldModel Member, MemberSummary Summary) TrainMember(WorldModelData data, int index, Stopwatch clock,
        TimeSpan? budgetEnd, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var seed = Training.Seed + 7919 * index;
        torch.manual_seed(seed);
        var random = new Random(seed);
        var model = new WorldModel(Model, data.Layout, data.Vocabulary.Rows);
        try
        {
            var histories = Training.Bootstrap && Training.Members > 1
                ? Enumerable.Range(0, data.Training.Count).Select(_ => data.Training[random.Next(data.Training.Count)]).ToArray()
                : data.Training.ToArray();
            var windows = histories.SelectMany(h => HistoryWindow.Cut(h, Model.MaxHistory)).ToArray();
            var validationWindows = data.Validation.SelectMany(h => HistoryWindow.Cut(h, Model.MaxHistory)).ToArray();

            using var optimizer = new SafeAdamW(model.parameters(), Training.LearningRate, Training.WeightDecay);
            byte[]? best = null;
            double? bestValidation = null;
            var epochsWithoutGain = 0;
            var epochs = 0;
            var memberStart = clock.Elapsed;
            double trainLoss = 0;

            for (var epoch = 1; epoch <= Training.MaxEpochs; epoch++)
            {
                optimizer.LearningRate = LearningRateAt(epoch);
                trainLoss = RunEpoch(model, optimizer, windows, random, clock, budgetEnd, cancellationToken);
                epochs = epoch;
                double? validation = validationWindows.Length > 0 ? Evaluate(model, validationWindows) : null;
                if (validation is { } v && (bestValidation is null || v < bestValidation.Value - 1e-5))
                {
                    bestValidation = v;
                    epochsWithoutGain = 0;
                    best = WeightsToBytes(model);
                }
                else if (validation is not null)
                {
                    epochsWithoutGain++;
                }

                var perEpoch = (clock.Elapsed - memberStart) / epoch;
                var remainingEpochs = (Training.MaxEpochs - epoch) + (Training.Members - index - 1) * Training.MaxEpochs;
                var remaining = perEpoch * remainingEpochs;
                if (Training.TimeBudget is { } budget) remaining = TimeSpan.FromTicks(Math.Min(remaining.Ticks, Math.Max(0, (budget - clock.Elapsed).Ticks)));
                progress?.Report(new TrainingProgress(index + 1, Training.Members, epoch, Training.MaxEpochs,
                    trainLoss, validation, bestValidation, clock.Elapsed, remaining));

                if (epochsWithoutGain >= Training.Patience) break;
                if (budgetEnd is { } end && clock.Elapsed >= end) break;
            }

            if (best is not null)
            {
                using var stream = new MemoryStream(best);
                model.load(stream);
            }
            model.eval();
            return (model, new MemberSummary(index, seed, epochs, trainLoss, bestValidation));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Cosine decay from the learning rate (epoch 1) toward its floor (after the last epoch).</summary>
    internal double LearningRateAt(int epoch)
    {
        var progress = (epoch - 1) / (double)Training.MaxEpochs;
        var floor = Training.LearningRateFloor;
        return Training.LearningRate * (floor + (1 - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }

    /// <summary>One pass over the shuffled windows, cut short (after at least one batch) when the budget ends.</summary>
    private double RunEpoch(WorldModel model, SafeAdamW optimizer, HistoryWindow[] windows, Random random,
        Stopwatch clock, TimeSpan? budgetEnd, CancellationToken cancellationToken)
    {
        model.train();
        random.Shuffle(windows);
        var batches = new List<HistoryWindow[]>();
        for (var start = 0; start < windows.Length; start += Training.BatchSize)
            batches.Add(windows.AsSpan(start, Math.Min(Training.BatchSize, windows.Length - start)).ToArray());
        return TrainBatches(model, optimizer, batches, () => budgetEnd is { } end && clock.Elapsed >= end, cancellationToken);
    }

    /// <summary>
    /// One optimisation step per batch, in order, exactly as an epoch takes them; stops early when
    /// <paramref name="stop"/> says so after a step. Returns the mean batch loss. Tensors are built on this thread:
    /// building them on a worker let the worker's allocations trigger garbage collections while this thread was
    /// inside native torch calls, which finalised TorchSharp's hidden temporary Scalars under them (crashes in
    /// SafeAdamW, seen in the tests).
    /// </summary>
    public double TrainBatches(WorldModel model, SafeAdamW optimizer, IReadOnlyList<HistoryWindow[]> batches, Func<bool>? stop = null,
        CancellationToken cancellationToken = default)
    {
        double sum = 0;
        var steps = 0;
        foreach (var batch in batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (var scope = torch.NewDisposeScope())
            using (var tensors = HistoryTensors.ForTraining(batch, model.Layout))
            {
                sum += Step(model, optimizer, tensors);
            }
            steps++;
            if (stop?.Invoke() == true) break;
        }
        return sum / Math.Max(steps, 1);
    }

    /// <summary>
    /// zero_grad -> backward -> clip -> step on ready-made tensors (the benchmark's bare loop feeds it random ones,
    /// to show what data loading and masking add). Call inside a dispose scope.
    /// </summary>
    public float Step(WorldModel model, SafeAdamW optimizer, HistoryTensors tensors)
    {
        var loss = BatchLoss(model, tensors);
        optimizer.ZeroGrad();
        loss.Total.backward();
        optimizer.ClipGradientNorm(Training.GradientClip);
        optimizer.Step();
        return loss.Total.item<float>();
    }

    /// <summary>
    /// Mean validation loss of the point predictions (<see cref="LossParts.Point"/>), weighting each batch by its
    /// number of windows.
    /// </summary>
    internal double Evaluate(WorldModel model, HistoryWindow[] windows)
    {
        model.eval();
        using var noGrad = torch.no_grad();
        double sum = 0;
        var count = 0;
        const int evaluationBatch = 64;
        for (var start = 0; start < windows.Length; start += evaluationBatch)
        {
            var batch = windows.AsSpan(start, Math.Min(evaluationBatch, windows.Length - start)).ToArray();
            using var scope = torch.NewDisposeScope();
            using var tensors = HistoryTensors.ForTraining(batch, model.Layout);
            sum += BatchLoss(model, tensors).Point * batch.Length;
            count += batch.Length;
        }
        return sum / Math.Max(count, 1);
    }

    // MemoryStream.ToArray works even if save closed the stream.
    private static byte[] WeightsToBytes(WorldModel model)
    {
        using var stream = new MemoryStream();
        model.save(stream);
        return stream.ToArray();
    }

    /// <summary>Teacher-forced loss of one training batch (every step predicted from the steps before it).</summary>
    public static LossParts BatchLoss(WorldModel model, HistoryTensors tensors)
    {
        var states = model.call(tensors.PreviousTrack, tensors.PreviousIds, tensors.Context);
        var candidates = model.EmbedTracks(tensors.Track!, tensors.TrackIds!);
        var predictions = model.Predict(states, candidates, tensors.TrackRecords);
        return WorldModelLoss.Compute(predictions, tensors.Labels!, tensors.LabelMask!);
    }

    private OodCalibration Calibrate(WorldModelEnsemble ensemble, WorldModelData data)
    {
        var featurizer = ensemble.Featurizer;
        var trainingTracks = data.Catalog
            .Where(t => data.Vocabulary.Contains(t.TrackId))
            .Select(featurizer.Encode)
            .ToArray();
        if (trainingTracks.Length == 0) trainingTracks = data.Catalog.Select(featurizer.Encode).ToArray();
        var patients = data.Training.Select(h => h.PatientContext).ToArray();
        var probes = OodProbe.FromHistories(data.Validation).ToArray();
        if (probes.Length > Training.MaxCalibrationPlaylists)
        {
            // An even spread over all validation playlists, deterministic.
            var stride = (double)probes.Length / Training.MaxCalibrationPlaylists;
            probes = Enumerable.Range(0, Training.MaxCalibrationPlaylists).Select(i => probes[(int)(i * stride)]).ToArray();
        }
        return OutOfDistribution.Calibrate(ensemble, trainingTracks, patients, probes);
    }
}

/// <summary>How one member's training went.</summary>
public sealed record MemberSummary(int Member, int Seed, int Epochs, double FinalTrainLoss, double? BestValidationLoss);

/// <summary>The trained ensemble (the caller owns and disposes it) and how training went.</summary>
public sealed record WorldModelTrainingResult(
    WorldModelEnsemble Ensemble,
    IReadOnlyList<MemberSummary> Members,
    TimeSpan Duration);
