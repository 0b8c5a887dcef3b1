using Amrs.Engine.Bundles;
using Amrs.Engine.Store;

namespace Amrs.Clinic.Services.Governance;

/// <summary>
/// What a retraining job runs: trains a candidate bundle from <paramref name="request"/> and stores its models and
/// bundle in <paramref name="staging"/> (never in the live store: the job publishes only on success). Called on the
/// job's own thread; blocks until done; throws <see cref="OperationCanceledException"/> when cancelled.
/// Progress: (stage, fraction of the whole run 0..1), on the calling thread.
/// </summary>
public interface ICandidateTrainer
{
    TrainedBundle Train(BundleTrainingRequest request, ModelStore staging, Action<string, double> progress, CancellationToken cancellationToken);
}

/// <summary>The real trainer: the engine's <see cref="BundleTrainer"/> on TorchSharp, on one torch thread unless configured.</summary>
public sealed class TorchCandidateTrainer(Microsoft.Extensions.Options.IOptions<Amrs.Engine.EngineOptions> engine, ILogger<TorchCandidateTrainer> logger)
    : ICandidateTrainer
{
    public TrainedBundle Train(BundleTrainingRequest request, ModelStore staging, Action<string, double> progress, CancellationToken cancellationToken)
    {
        // One thread: on a shared 2-core machine more threads starve the pages and make training slower, not faster (measured in the CLI).
        TorchSharp.torch.set_num_threads(engine.Value.TorchThreads ?? 1);
        // Below the engine thread: previews keep their latency while a job trains (README, Performance).
        Amrs.Engine.Training.BackgroundPriority.LowerCurrentThread();
        using var log = new LogWriter(logger);
        return BundleTrainer.Train(request, staging, progress, log, cancellationToken);
    }

    /// <summary>The engine's training log lines, into the clinic's log.</summary>
    private sealed class LogWriter(ILogger logger) : StringWriter
    {
        public override void WriteLine(string? value) => logger.LogInformation("Retraining: {Line}", value);
    }
}
