using Amrs.Engine.Evaluation;
using Amrs.Engine.WorldModels;

namespace Amrs.Engine.Bundles;

/// <summary>
/// A candidate bundle's evaluation beside the bundle promoted for care, both on the same held-out data: the
/// world models' one-step-ahead fidelity on the cold-start test patients (<see cref="OneStepEvaluator"/>, the
/// metrics of <c>amrs evaluate world-model</c> without the simulator's truth, which clinic data does not have) and
/// the policies' validation metrics from training (behaviour-cloning NLL and top-1, DPO pair accuracy).
/// </summary>
public sealed record BundleEvaluationReport
{
    public required int SplitSeed { get; init; }
    public required int TestPatients { get; init; }
    public required string DataFingerprint { get; init; }
    public required IReadOnlyDictionary<string, double> Candidate { get; init; }
    public string? PromotedBundleId { get; init; }

    /// <summary>The promoted bundle's world model on the same test patients (its policy metrics come from its cards).</summary>
    public IReadOnlyDictionary<string, double>? Promoted { get; init; }

    /// <summary>Why the promoted bundle could not be scored, when it could not.</summary>
    public string? PromotedNote { get; init; }

    /// <summary>The metrics shown side by side, in this order.</summary>
    public static IReadOnlyList<string> HeadlineMetrics { get; } =
    [
        "valence.r2", "arousal.r2", "engagement.r2", "valence.mae", "arousal.mae", "valence.coverage80", "rating.auc",
        "bc_validation_nll", "bc_validation_top1", "dpo_validation_pair_accuracy",
    ];
}

public static class BundleEvaluation
{
    /// <summary>One-step-ahead metrics of <paramref name="worldModel"/> on the test patients of <paramref name="data"/>.</summary>
    public static IReadOnlyDictionary<string, double> WorldModelFidelity(WorldModelEnsemble worldModel, BundleTrainingData data, IReadOnlyList<string> testPatients)
    {
        if (testPatients.Count == 0) return new Dictionary<string, double>();
        var encoder = worldModel.CreateEncoder(data.Catalog);
        var byPatient = data.Sessions.ToLookup(s => s.PatientId, StringComparer.Ordinal);
        var histories = data.PatientsIn(testPatients).Select(p => encoder.EncodeHistory(p, byPatient[p.PatientId])).Where(h => h.Count > 0);
        return OneStepEvaluator.ToMetrics(OneStepEvaluator.Summarise(OneStepEvaluator.Predict(worldModel, histories)));
    }
}
