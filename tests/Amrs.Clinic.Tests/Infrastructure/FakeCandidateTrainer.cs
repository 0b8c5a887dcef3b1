using Amrs.Clinic.Services.Governance;
using Amrs.Engine.Bundles;
using Amrs.Engine.Store;

namespace Amrs.Clinic.Tests.Infrastructure;

/// <summary>
/// A retraining job's trainer that the test drives: it reports progress, writes a model into its staging folder,
/// then waits until the test lets it finish (<see cref="Finish"/>) or fail (<see cref="Fail"/>), or the job is
/// cancelled. On success it stores three tiny "models" and a bundle, as the real trainer does, without torch.
/// </summary>
public sealed class FakeCandidateTrainer : ICandidateTrainer
{
    public const string ProgressStage = "world model";
    public const double ProgressFraction = 0.25;

    private TaskCompletionSource<string> _started = New<string>();
    private TaskCompletionSource<Exception?> _release = New<Exception?>();

    /// <summary>Completes with the staging folder once training has begun writing there.</summary>
    public Task<string> Started => _started.Task;

    public void Finish() => _release.TrySetResult(null);

    public void Fail(string message) => _release.TrySetResult(new InvalidOperationException(message));

    /// <summary>Ready for the next job.</summary>
    public void Reset()
    {
        _started = New<string>();
        _release = New<Exception?>();
    }

    public TrainedBundle Train(BundleTrainingRequest request, ModelStore staging, Action<string, double> progress, CancellationToken cancellationToken)
    {
        progress(ProgressStage, ProgressFraction);
        var fingerprint = request.Data.Fingerprint();
        var worldModel = Store(staging, BundleRoles.WorldModel, "wm", fingerprint);
        _started.TrySetResult(staging.Root);
        var failure = _release.Task.WaitAsync(cancellationToken).GetAwaiter().GetResult();
        if (failure is not null) throw failure;
        var bc = Store(staging, BundleRoles.BehaviourCloning, "bc", fingerprint);
        var dpo = Store(staging, BundleRoles.Dpo, "dpo", fingerprint);
        var manifest = staging.SaveBundle(new Dictionary<string, string>
        {
            [BundleRoles.WorldModel] = worldModel.Id, [BundleRoles.BehaviourCloning] = bc.Id, [BundleRoles.Dpo] = dpo.Id,
        }, request.Notes);
        var evaluation = new BundleEvaluationReport
        {
            SplitSeed = request.SplitSeed, TestPatients = 1, DataFingerprint = fingerprint,
            Candidate = new Dictionary<string, double> { ["valence.r2"] = 0.5 }, PromotedBundleId = request.Promoted?.BundleId,
            Promoted = new Dictionary<string, double> { ["valence.r2"] = 0.4 },
        };
        return new TrainedBundle(manifest, [worldModel, bc, dpo], evaluation);
    }

    private static ModelCard Store(ModelStore staging, string kind, string prefix, string fingerprint) =>
        staging.Save(new ModelCardDraft { Kind = kind, IdPrefix = prefix, TrainingDataFingerprint = fingerprint }, folder =>
        {
            File.WriteAllText(Path.Combine(folder, "weights.bin"), $"fake {kind} {Guid.NewGuid()}");
            return ["weights.bin"];
        });

    private static TaskCompletionSource<T> New<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
