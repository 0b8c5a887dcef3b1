using System.Diagnostics;
using Amrs.Core.Catalog;
using Amrs.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.Policies;

/// <summary>
/// Fine-tunes a policy with DPO (plus, by default, a small likelihood term on the chosen side) against a frozen reference (the behaviour-cloning policy loaded frozen): the
/// trainable policy starts as a copy of the reference; the reference's log-probabilities are computed once,
/// without gradients. The catalog given is the one the pairs' indices refer to. AdamW, one dispose scope per batch, zero_grad -> backward -> clip -> step.
/// Deterministic for a seed at a fixed torch thread count. Run on one thread, no await inside.
/// </summary>
public sealed class DpoTrainer(DpoOptions options)
{
    public DpoOptions Options { get; } = options;

    /// <param name="from">A trainable policy to continue from (a copy is trained; default: a copy of the reference).</param>
    public DpoResult Train(PolicyModel reference, IReadOnlyList<Track> catalogTracks, IReadOnlyList<PreferencePair> pairs, IReadOnlyList<PreferencePair> validationPairs,
        IProgress<PolicyTrainingProgress>? progress = null, CancellationToken cancellationToken = default, PolicyModel? from = null)
    {
        Options.Validate();
        if (!reference.IsFrozen) throw new ArgumentException("The DPO reference must be a frozen policy (PolicyModel.LoadFrozen).", nameof(reference));
        if (pairs.Count == 0) throw new ArgumentException("No preference pairs.", nameof(pairs));
        var clock = Stopwatch.StartNew();
        torch.manual_seed(Options.Seed);
        var random = new Random(Options.Seed);
        var policy = (from ?? reference).CloneTrainable();
        try
        {
            using var referenceCatalog = new PolicyCatalog(reference, catalogTracks);
            var referenceLogp = ReferenceLogProbabilities(reference, referenceCatalog, pairs);
            var validationReference = ReferenceLogProbabilities(reference, referenceCatalog, validationPairs);
            using var catalog = new PolicyCatalog(policy, referenceCatalog.Tracks);
            using var optimizer = new SafeAdamW(policy.Network.parameters(), Options.LearningRate, Options.WeightDecay);
            var order = Enumerable.Range(0, pairs.Count).ToArray();
            double trainLoss = 0;
            var (validationLoss, validationAccuracy) = Evaluate(policy, catalog, validationPairs, validationReference);
            var (initialLoss, initialAccuracy) = (validationLoss, validationAccuracy);
            for (var epoch = 1; epoch <= Options.Epochs; epoch++)
            {
                policy.Network.train();
                random.Shuffle(order);
                double sum = 0;
                var batches = 0;
                for (var start = 0; start < order.Length; start += Options.BatchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var indices = order.AsSpan(start, Math.Min(Options.BatchSize, order.Length - start)).ToArray();
                    using var scope = torch.NewDisposeScope();
                    var batch = indices.Select(i => pairs[i]).ToArray();
                    var (chosen, rejected) = PairLogProbabilities.Compute(policy.Network, catalog, batch, catalog.Keys());
                    var refChosen = torch.tensor(indices.Select(i => referenceLogp.Chosen[i]).ToArray());
                    var refRejected = torch.tensor(indices.Select(i => referenceLogp.Rejected[i]).ToArray());
                    var loss = DpoLoss.Compute(chosen, rejected, refChosen, refRejected, Options.Beta);
                    if (Options.ChosenNllWeight > 0)
                    {
                        var lengths = torch.tensor(batch.Select(p => (float)p.Chosen.Count).ToArray());
                        loss = loss.add((-(chosen / lengths)).mean(), Training.Scalars.Of(Options.ChosenNllWeight));
                    }
                    optimizer.ZeroGrad();
                    loss.backward();
                    optimizer.ClipGradientNorm(Options.GradientClip);
                    optimizer.Step();
                    sum += loss.item<float>();
                    batches++;
                }
                trainLoss = sum / Math.Max(1, batches);
                (validationLoss, validationAccuracy) = Evaluate(policy, catalog, validationPairs, validationReference);
                progress?.Report(new PolicyTrainingProgress("dpo", epoch, Options.Epochs, trainLoss,
                    validationPairs.Count > 0 ? validationLoss : null, clock.Elapsed));
            }
            policy.Network.eval();
            return new DpoResult(policy, pairs.Count, validationPairs.Count, trainLoss, initialLoss, validationLoss,
                initialAccuracy, validationAccuracy, clock.Elapsed);
        }
        catch
        {
            policy.Dispose();
            throw;
        }
    }

    /// <summary>DPO loss and the share of pairs where the policy's implicit reward ranks the chosen side higher.</summary>
    private (double Loss, double Accuracy) Evaluate(PolicyModel policy, PolicyCatalog catalog, IReadOnlyList<PreferencePair> pairs,
        (float[] Chosen, float[] Rejected) reference)
    {
        if (pairs.Count == 0) return (double.NaN, double.NaN);
        policy.Network.eval();
        using var noGrad = torch.no_grad();
        var (chosen, rejected) = LogProbabilities(policy, catalog, pairs);
        double loss = 0, correct = 0;
        for (var i = 0; i < pairs.Count; i++)
        {
            loss += DpoLoss.Compute(chosen[i], rejected[i], reference.Chosen[i], reference.Rejected[i], Options.Beta);
            if ((chosen[i] - reference.Chosen[i]) - (rejected[i] - reference.Rejected[i]) > 0) correct++;
        }
        return (loss / pairs.Count, correct / pairs.Count);
    }

    private static (float[] Chosen, float[] Rejected) ReferenceLogProbabilities(PolicyModel reference, PolicyCatalog catalog, IReadOnlyList<PreferencePair> pairs)
    {
        using var noGrad = torch.no_grad();
        return LogProbabilities(reference, catalog, pairs);
    }

    private static (float[] Chosen, float[] Rejected) LogProbabilities(PolicyModel policy, PolicyCatalog catalog, IReadOnlyList<PreferencePair> pairs)
    {
        var chosen = new List<float>();
        var rejected = new List<float>();
        for (var start = 0; start < pairs.Count; start += 64)
        {
            using var scope = torch.NewDisposeScope();
            var batch = pairs.Skip(start).Take(64).ToArray();
            var (c, r) = PairLogProbabilities.Compute(policy.Network, catalog, batch, catalog.Keys());
            chosen.AddRange(c.ToFloatArray());
            rejected.AddRange(r.ToFloatArray());
        }
        return (chosen.ToArray(), rejected.ToArray());
    }
}

/// <summary>The DPO policy (the caller owns and disposes it) and how training went.</summary>
public sealed record DpoResult(PolicyModel Policy, int Pairs, int ValidationPairs, double FinalTrainLoss,
    double InitialValidationLoss, double ValidationLoss, double InitialValidationAccuracy, double ValidationAccuracy, TimeSpan Duration);
