using System.Diagnostics;
using Amrs.Engine.Episodes;
using Amrs.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.Policies;

/// <summary>
/// Behaviour cloning ("Copycat" in the paper): the policy learns to give the logged track the highest
/// probability among the catalog tracks the logging rules allowed (InfoNCE with the whole allowed catalog as
/// negatives), conditioned on the logged mode and target with that mode's default weights. AdamW, one dispose
/// scope per batch, zero_grad -> backward -> clip -> step, early stopping on validation loss with the best
/// weights restored. Deterministic for a seed at a fixed torch thread count. Run on one thread, no await inside.
/// </summary>
public sealed class BehaviourCloningTrainer(PolicyOptions model, BehaviourCloningOptions training)
{
    public PolicyOptions Model { get; } = model;
    public BehaviourCloningOptions Training { get; } = training;

    public BehaviourCloningResult Train(PolicyTrainingData data, IProgress<PolicyTrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        Model.Validate();
        Training.Validate();
        if (data.Histories.Training.Count == 0) throw new ArgumentException("No training histories.", nameof(data));
        var clock = Stopwatch.StartNew();
        torch.manual_seed(Training.Seed);
        var random = new Random(Training.Seed);
        var policy = PolicyModel.Create(data.Histories.Spec, data.Histories.Vocabulary, Model, data.Histories.Layout);
        try
        {
            using var catalog = new PolicyCatalog(policy, data.Catalog);
            var windows = data.Histories.Training.SelectMany(h => HistoryWindow.Cut(h, Model.MaxHistory)).ToArray();
            var validation = data.Histories.Validation.SelectMany(h => HistoryWindow.Cut(h, Model.MaxHistory)).ToArray();
            using var optimizer = new SafeAdamW(policy.Network.parameters(), Training.LearningRate, Training.WeightDecay);
            byte[]? best = null;
            double? bestValidation = null;
            var stale = 0;
            var epochs = 0;
            double trainLoss = 0;
            for (var epoch = 1; epoch <= Training.MaxEpochs; epoch++)
            {
                policy.Network.train();
                random.Shuffle(windows);
                double sum = 0;
                var batches = 0;
                for (var start = 0; start < windows.Length; start += Training.BatchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var batch = windows.AsSpan(start, Math.Min(Training.BatchSize, windows.Length - start)).ToArray();
                    using var scope = torch.NewDisposeScope();
                    var hide = batch.Select(_ => random.NextDouble() < Training.HideWithinSessionRate).ToArray();
                    var loss = Loss(policy, catalog, data, batch, hide);
                    optimizer.ZeroGrad();
                    loss.backward();
                    optimizer.ClipGradientNorm(Training.GradientClip);
                    optimizer.Step();
                    sum += loss.item<float>();
                    batches++;
                }
                trainLoss = sum / Math.Max(1, batches);
                epochs = epoch;
                double? validationLoss = validation.Length > 0 ? Evaluate(policy, catalog, data, validation).Loss : null;
                if (validationLoss is { } v && (bestValidation is null || v < bestValidation.Value - 1e-4))
                {
                    bestValidation = v;
                    stale = 0;
                    best = Weights(policy);
                }
                else if (validationLoss is not null)
                {
                    stale++;
                }
                progress?.Report(new PolicyTrainingProgress("behaviour cloning", epoch, Training.MaxEpochs, trainLoss, validationLoss, clock.Elapsed));
                if (stale >= Training.Patience) break;
            }
            if (best is not null)
            {
                using var stream = new MemoryStream(best);
                policy.Network.load(stream);
            }
            policy.Network.eval();
            var (finalLoss, accuracy) = validation.Length > 0 ? Evaluate(policy, catalog, data, validation) : (double.NaN, double.NaN);
            return new BehaviourCloningResult(policy, epochs, trainLoss, finalLoss, accuracy, clock.Elapsed);
        }
        catch
        {
            policy.Dispose();
            throw;
        }
    }

    /// <summary>Mean negative log-likelihood of the logged tracks and the share ranked first (validation: outcomes hidden within sessions, as when proposing).</summary>
    public (double Loss, double TopOneAccuracy) Evaluate(PolicyModel policy, PolicyCatalog catalog, PolicyTrainingData data, HistoryWindow[] windows)
    {
        policy.Network.eval();
        using var noGrad = torch.no_grad();
        double sum = 0, hits = 0;
        var count = 0;
        for (var start = 0; start < windows.Length; start += 64)
        {
            var batch = windows.AsSpan(start, Math.Min(64, windows.Length - start)).ToArray();
            using var scope = torch.NewDisposeScope();
            var (sequences, queries, targets) = Build(data, catalog, batch, batch.Select(_ => true).ToArray());
            var logp = PolicyScoring.LogProbabilities(policy.Network, sequences, queries, catalog.Keys());
            var target = torch.tensor(targets);
            sum += -logp.gather(1, target.unsqueeze(1)).sum().item<float>();
            hits += (logp.argmax(1) == target).sum().item<long>();
            count += targets.Length;
        }
        return (sum / Math.Max(1, count), hits / Math.Max(1, count));
    }

    internal static Tensor Loss(PolicyModel policy, PolicyCatalog catalog, PolicyTrainingData data, HistoryWindow[] batch, bool[] hide)
    {
        var (sequences, queries, targets) = Build(data, catalog, batch, hide);
        var logp = PolicyScoring.LogProbabilities(policy.Network, sequences, queries, catalog.Keys());
        return -logp.gather(1, torch.tensor(targets).unsqueeze(1)).mean();
    }

    /// <summary>One query per logged step: its own mode, target and default weights; allowed = the logging rules' eligible tracks not yet played in the session.</summary>
    internal static (PolicySequence[] Sequences, PolicyQuery[] Queries, long[] Targets) Build(
        PolicyTrainingData data, PolicyCatalog catalog, HistoryWindow[] windows, bool[] hide)
    {
        var sequences = new PolicySequence[windows.Length];
        var queries = new List<PolicyQuery>();
        var targets = new List<long>();
        for (var b = 0; b < windows.Length; b++)
        {
            var (history, start, length) = (windows[b].History, windows[b].Start, windows[b].Length);
            var steps = history.Steps;
            sequences[b] = new PolicySequence(history.PatientContext, steps.Skip(start).Take(length).ToArray(),
                start > 0 ? steps[start - 1] : null, HideWithinSession: hide[b])
            {
                Earlier = [.. history.Earlier, .. steps.Take(Math.Max(0, start - 1))],
            };
            for (var s = 0; s < length; s++)
            {
                var step = steps[start + s];
                var allowed = (bool[])data.AllowedFor(history.PatientId, step.Context.Mode).Clone();
                for (var earlier = start + s - 1; earlier >= 0 && earlier >= start + s - step.Context.PositionInSession; earlier--)
                    allowed[catalog.IndexOf(steps[earlier].TrackId)] = false;
                var target = catalog.IndexOf(step.TrackId);
                allowed[target] = true;
                queries.Add(new PolicyQuery(b, s, PolicyCondition.ForLogged(step.Context.Mode, step.Context.Target), allowed));
                targets.Add(target);
            }
        }
        return (sequences, queries.ToArray(), targets.ToArray());
    }

    internal static byte[] Weights(PolicyModel policy)
    {
        using var stream = new MemoryStream();
        policy.Network.save(stream);
        return stream.ToArray();
    }
}

/// <summary>The cloned policy (the caller owns and disposes it) and how training went.</summary>
public sealed record BehaviourCloningResult(PolicyModel Policy, int Epochs, double FinalTrainLoss, double ValidationLoss,
    double ValidationTopOneAccuracy, TimeSpan Duration);
