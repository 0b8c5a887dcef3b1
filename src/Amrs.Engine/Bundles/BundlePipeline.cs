using System.Diagnostics;
using Amrs.Engine.Policies;
using Amrs.Engine.Training;
using Amrs.Engine.WorldModels;

namespace Amrs.Engine.Bundles;

/// <summary>The two policies of a bundle (the caller disposes them) and what was measured while training them.</summary>
public sealed class TrainedPolicyPair(PolicyModel cloned, PolicyModel dpo, IReadOnlyDictionary<string, double> metrics) : IDisposable
{
    public PolicyModel Cloned { get; } = cloned;
    public PolicyModel Dpo { get; } = dpo;

    /// <summary>"bc_validation_nll", "bc_validation_top1", "dpo_validation_pair_accuracy", ... and seconds per stage.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; } = metrics;

    public void Dispose()
    {
        Cloned.Dispose();
        Dpo.Dispose();
    }
}

/// <summary>
/// The training steps of a bundle, shared by <c>amrs train policy</c> and the clinic's retraining job: the world
/// model on the training patients' logs (early stopping on the validation patients), behaviour cloning on the same
/// logs, preference pairs from the world model, DPO against the BC policy loaded frozen. Everything runs on the
/// calling thread and nothing is awaited (torch dispose scopes are per thread). Progress: (stage, fraction 0..1).
/// </summary>
public static class BundlePipeline
{
    public const string WorldModelStage = "world model";
    public const string CloningStage = "behaviour cloning";
    public const string PairsStage = "preference pairs";
    public const string DpoStage = "dpo";

    public static WorldModelEnsemble TrainWorldModel(PolicyTrainingData data, BundlePresets presets, Action<string, double> progress,
        TextWriter log, CancellationToken cancellationToken)
    {
        var trainer = new WorldModelTrainer(presets.WorldModel, presets.WorldModelTraining);
        var result = trainer.Train(data.Histories,
            new Reporter<TrainingProgress>(p => progress(WorldModelStage, ((p.Member - 1) + (double)p.Epoch / p.MaxEpochs) / p.Members)),
            cancellationToken);
        log.WriteLine($"world model: trained ({result.Members.Count} members, {result.Duration.TotalSeconds:0}s)");
        return result.Ensemble;
    }

    /// <summary>Behaviour cloning, then DPO on preference pairs the world model scores. <paramref name="splitSeed"/> varies DPO's seed per split.</summary>
    public static TrainedPolicyPair TrainPolicies(PolicyTrainingData data, WorldModelEnsemble worldModel, BundlePresets presets, int splitSeed,
        Action<string, double> progress, TextWriter log, CancellationToken cancellationToken)
    {
        var metrics = new Dictionary<string, double>();
        var cloned = TrainCloning(data, presets, metrics, progress, log, cancellationToken);
        try
        {
            var dpo = TrainDpo(data, worldModel, cloned, DpoOptionsFor(presets, splitSeed), metrics, progress, log, cancellationToken);
            return new TrainedPolicyPair(cloned, dpo, metrics);
        }
        catch
        {
            cloned.Dispose();
            throw;
        }
    }

    /// <summary>The preset's DPO options with the seed varied per split.</summary>
    public static DpoOptions DpoOptionsFor(BundlePresets presets, int splitSeed) => presets.Dpo with { Seed = presets.Dpo.Seed + splitSeed };

    /// <summary>Behaviour cloning on the training patients' logs (InfoNCE over the catalog); its metrics go into <paramref name="metrics"/>.</summary>
    public static PolicyModel TrainCloning(PolicyTrainingData data, BundlePresets presets, IDictionary<string, double> metrics,
        Action<string, double> progress, TextWriter log, CancellationToken cancellationToken)
    {
        var bc = new BehaviourCloningTrainer(presets.Policy, presets.Cloning).Train(data,
            new Reporter<PolicyTrainingProgress>(p => progress(CloningStage, p.Fraction)), cancellationToken);
        metrics["bc_validation_nll"] = bc.ValidationLoss;
        metrics["bc_validation_top1"] = bc.ValidationTopOneAccuracy;
        metrics["bc_seconds"] = bc.Duration.TotalSeconds;
        log.WriteLine($"behaviour cloning: {bc.Epochs} epochs, validation NLL {bc.ValidationLoss:0.000}, top-1 {bc.ValidationTopOneAccuracy:P1}, {bc.Duration.TotalSeconds:0}s");
        return bc.Policy;
    }

    /// <summary>
    /// Preference pairs from the world model, then DPO against a frozen copy of <paramref name="cloned"/> (loaded
    /// from a saved copy, never shared, so the behaviour-cloning policy itself is untouched).
    /// </summary>
    public static PolicyModel TrainDpo(PolicyTrainingData data, WorldModelEnsemble worldModel, PolicyModel cloned, DpoOptions dpoOptions,
        IDictionary<string, double> metrics, Action<string, double> progress, TextWriter log, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("amrs-bc-reference-").FullName;
        PolicyModel reference;
        try
        {
            cloned.Save(folder);
            reference = PolicyModel.LoadFrozen(folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        using (reference)
        {
            var clock = Stopwatch.StartNew();
            using var catalog = new PolicyCatalog(reference, data.Catalog);
            var builder = new PreferencePairBuilder(worldModel, new PlaylistProposer(catalog), dpoOptions);
            var pairs = builder.Build(data, data.Histories.Training, dpoOptions.Seed,
                new Reporter<PolicyTrainingProgress>(p => progress(PairsStage, p.Fraction)), cancellationToken);
            // Validation pairs only report how DPO went: an eighth of each kind, on the validation patients.
            static int Eighth(int count) => count == 0 ? 0 : Math.Max(10, count / 8);
            var validationOptions = dpoOptions with
            {
                CorrectionPairs = Eighth(dpoOptions.CorrectionPairs),
                PlaylistPairs = Eighth(dpoOptions.PlaylistPairs),
                StepPairs = Eighth(dpoOptions.StepPairs),
            };
            var validationPairs = new PreferencePairBuilder(worldModel, new PlaylistProposer(catalog), validationOptions)
                .Build(data, data.Histories.Validation, dpoOptions.Seed + 1, null, cancellationToken).ToArray();
            metrics["dpo_pairs"] = pairs.Count;
            metrics["dpo_pairs_seconds"] = clock.Elapsed.TotalSeconds;
            log.WriteLine($"preference pairs: {pairs.Count(p => p.Kind == PreferencePair.Correction)} corrections, " +
                $"{pairs.Count(p => p.Kind == PreferencePair.Playlist)} playlist pairs, {pairs.Count(p => p.Kind == PreferencePair.Step)} step pairs, " +
                $"{validationPairs.Length} validation pairs, {clock.Elapsed.TotalSeconds:0}s");

            clock.Restart();
            var trainer = new DpoTrainer(dpoOptions);
            var dpo = trainer.Train(reference, data.Catalog, pairs, validationPairs,
                new Reporter<PolicyTrainingProgress>(p => progress(DpoStage, p.Fraction)), cancellationToken);
            for (var round = 2; round <= dpoOptions.StepRounds && dpoOptions.StepPairs > 0; round++)
            {
                // On-policy step pairs: what the fine-tuned policy now ranks first, against the world model's best.
                var current = dpo.Policy;
                using (var currentCatalog = new PolicyCatalog(current, data.Catalog))
                {
                    var roundOptions = dpoOptions with { CorrectionPairs = 0, PlaylistPairs = 0 };
                    pairs = [.. pairs, .. new PreferencePairBuilder(worldModel, new PlaylistProposer(currentCatalog), roundOptions)
                        .Build(data, data.Histories.Training, dpoOptions.Seed + round, null, cancellationToken)];
                    dpo = trainer.Train(reference, data.Catalog, pairs, validationPairs,
                        new Reporter<PolicyTrainingProgress>(p => progress(DpoStage, p.Fraction)), cancellationToken, from: current);
                }
                current.Dispose();
                log.WriteLine($"DPO round {round}: {pairs.Count} pairs, validation pair accuracy {dpo.ValidationAccuracy:P1}");
            }
            metrics["dpo_validation_loss"] = dpo.ValidationLoss;
            metrics["dpo_validation_pair_accuracy"] = dpo.ValidationAccuracy;
            metrics["dpo_seconds"] = clock.Elapsed.TotalSeconds;
            log.WriteLine($"DPO: validation loss {dpo.InitialValidationLoss:0.000} -> {dpo.ValidationLoss:0.000}, " +
                $"pair accuracy {dpo.InitialValidationAccuracy:P1} -> {dpo.ValidationAccuracy:P1}, {dpo.Duration.TotalSeconds:0}s");
            return dpo.Policy;
        }
    }

    /// <summary>Reports on the calling thread (System.Progress would post to the thread pool).</summary>
    private sealed class Reporter<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
