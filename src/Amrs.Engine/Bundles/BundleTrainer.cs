using Amrs.Engine.Policies;
using Amrs.Engine.Store;

namespace Amrs.Engine.Bundles;

/// <summary>A bundle stored by <see cref="BundleTrainer"/>: its manifest, the three model cards, its evaluation.</summary>
public sealed record TrainedBundle(BundleManifest Manifest, IReadOnlyList<ModelCard> Cards, BundleEvaluationReport Evaluation);

/// <summary>What to train and how; <see cref="Promoted"/> is the bundle to compare with (its store and id), if any.</summary>
public sealed record BundleTrainingRequest(BundleTrainingData Data, BundlePresets Presets, int SplitSeed, string Notes,
    (ModelStore Store, string BundleId)? Promoted = null);

/// <summary>
/// Trains a whole bundle on logged data: world model, then behaviour cloning, then DPO (<see cref="BundlePipeline"/>),
/// scores it beside the promoted bundle (<see cref="BundleEvaluation"/>) and stores the three models and the
/// bundle in <paramref name="store"/>. Runs on the calling thread. Give it a staging store and publish only on
/// success (<see cref="ModelStore.Publish"/>), so that a failed or cancelled run leaves no model behind.
/// Progress: (stage, fraction of the whole run 0..1).
/// </summary>
public static class BundleTrainer
{
    public const string EvaluationStage = "evaluation";

    // Share of the whole run each stage takes (measured roughly on the quick preset).
    private static readonly (string Stage, double From, double To)[] _stages =
    [
        (BundlePipeline.WorldModelStage, 0.00, 0.45),
        (BundlePipeline.CloningStage, 0.45, 0.60),
        (BundlePipeline.PairsStage, 0.60, 0.80),
        (BundlePipeline.DpoStage, 0.80, 0.95),
        (EvaluationStage, 0.95, 1.00),
    ];

    public static TrainedBundle Train(BundleTrainingRequest request, ModelStore store, Action<string, double> progress,
        TextWriter log, CancellationToken cancellationToken)
    {
        var data = request.Data;
        var split = data.Split(request.SplitSeed);
        if (split.Train.Count == 0 || split.Validation.Count == 0)
            throw new BundleTrainingException(
                $"Too few patients with logged sessions ({split.Train.Count + split.Validation.Count + split.Test.Count}) to train: " +
                "training and validation each need at least one patient. Import or deliver more sessions first.");
        var prepared = PolicyTrainingData.Prepare(data.Catalog, data.PatientsIn(split.Train), data.PatientsIn(split.Validation), data.Sessions);
        void Report(string stage, double fraction)
        {
            var (_, from, to) = _stages.First(s => s.Stage == stage);
            progress(stage, from + (to - from) * Math.Clamp(fraction, 0, 1));
        }

        using var worldModel = BundlePipeline.TrainWorldModel(prepared, request.Presets, Report, log, cancellationToken);
        using var policies = BundlePipeline.TrainPolicies(prepared, worldModel, request.Presets, request.SplitSeed, Report, log, cancellationToken);
        Report(EvaluationStage, 0);
        var fingerprint = data.Fingerprint();
        var evaluation = Evaluate(request, worldModel, policies, split.Test, fingerprint);
        cancellationToken.ThrowIfCancellationRequested();

        var worldModelCard = store.SaveWorldModel(worldModel, new WorldModelProvenance(fingerprint, null, request.SplitSeed,
            request.Presets.WorldModelTraining, evaluation.Candidate.Where(m => !IsPolicyMetric(m.Key)).ToDictionary(), request.Notes), cancellationToken);
        var bc = store.SavePolicy(policies.Cloned, new PolicyProvenance(PolicyStore.BehaviourCloningKind, fingerprint, null, request.SplitSeed,
            new { request.Presets.Cloning, Architecture = request.Presets.Policy }, Prefixed(policies.Metrics, "bc_"),
            "behaviour cloning (InfoNCE over the allowed catalog)"), cancellationToken);
        var dpo = store.SavePolicy(policies.Dpo, new PolicyProvenance(PolicyStore.DpoKind, fingerprint, null, request.SplitSeed,
            new { request.Presets.Dpo, ReferenceModel = bc.Id }, Prefixed(policies.Metrics, "dpo_"),
            $"DPO against the frozen reference {bc.Id}, world model {worldModelCard.Id}"), cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var manifest = store.SaveBundle(new Dictionary<string, string>
        {
            [BundleRoles.WorldModel] = worldModelCard.Id,
            [BundleRoles.BehaviourCloning] = bc.Id,
            [BundleRoles.Dpo] = dpo.Id,
        }, request.Notes);
        Report(EvaluationStage, 1);
        return new TrainedBundle(manifest, [worldModelCard, bc, dpo], evaluation);
    }

    private static BundleEvaluationReport Evaluate(BundleTrainingRequest request, WorldModels.WorldModelEnsemble worldModel,
        TrainedPolicyPair policies, IReadOnlyList<string> testPatients, string fingerprint)
    {
        var candidate = new SortedDictionary<string, double>(
            BundleEvaluation.WorldModelFidelity(worldModel, request.Data, testPatients).ToDictionary(), StringComparer.Ordinal);
        foreach (var (name, value) in policies.Metrics.Where(m => double.IsFinite(m.Value))) candidate[name] = value;

        IReadOnlyDictionary<string, double>? promoted = null;
        string? note = null;
        if (request.Promoted is var (store, bundleId))
        {
            try
            {
                var manifest = store.OpenBundle(bundleId);
                var (promotedWorldModel, _) = store.LoadWorldModel(manifest.ModelFor(BundleRoles.WorldModel));
                using (promotedWorldModel)
                {
                    var scores = new SortedDictionary<string, double>(
                        BundleEvaluation.WorldModelFidelity(promotedWorldModel, request.Data, testPatients).ToDictionary(), StringComparer.Ordinal);
                    foreach (var entry in manifest.Models.Where(m => m.Role != BundleRoles.WorldModel))
                        foreach (var (name, value) in store.Open(entry.ModelId).Card.Metrics.Where(m => IsPolicyMetric(m.Key)))
                            scores[name] = value;
                    promoted = scores;
                }
            }
            catch (Exception e) when (e is ModelIntegrityException or KeyNotFoundException or IOException)
            {
                note = $"The promoted bundle {bundleId} could not be scored: {e.Message}";
            }
        }
        return new BundleEvaluationReport
        {
            SplitSeed = request.SplitSeed, TestPatients = testPatients.Count, DataFingerprint = fingerprint,
            Candidate = candidate, PromotedBundleId = request.Promoted?.BundleId, Promoted = promoted, PromotedNote = note,
        };
    }

    private static bool IsPolicyMetric(string name) => name.StartsWith("bc_", StringComparison.Ordinal) || name.StartsWith("dpo_", StringComparison.Ordinal);

    private static Dictionary<string, double> Prefixed(IReadOnlyDictionary<string, double> all, string prefix) =>
        all.Where(m => m.Key.StartsWith(prefix, StringComparison.Ordinal) && double.IsFinite(m.Value)).ToDictionary(m => m.Key, m => m.Value);
}
