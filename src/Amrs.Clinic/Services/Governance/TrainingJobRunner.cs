using System.Text.Json;
using Amrs.Core.Audit;
using Amrs.Core.Ethics;
using Amrs.Data;
using Amrs.Data.Audit;
using Amrs.Data.Governance;
using Amrs.Engine.Bundles;
using Amrs.Engine.Store;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Clinic.Services.Governance;

/// <summary>
/// Runs queued training jobs, one at a time, in the background: reads all logged data, trains a candidate bundle
/// with the <see cref="ICandidateTrainer"/> on a thread of its own into a staging folder of the model store, and
/// only when everything is complete moves it into the store and registers it as a candidate (never promoted: that
/// takes two people, see <see cref="ModelRegistry"/>). Progress goes to the database about once a second, where the
/// runner also reads cancel requests. A failed or cancelled job deletes its staging folder: no model is left half
/// written. Jobs found running at start-up (the clinic stopped under them) are marked failed; run training on one
/// instance only.
/// </summary>
public sealed class TrainingJobRunner(
    IDbContextFactory<ClinicDbContext> contexts,
    AuditLog audit,
    ModelStore store,
    ICandidateTrainer trainer,
    TrainingJobQueue queue,
    TrainingJobNotifier notifier,
    TimeProvider clock,
    ILogger<TrainingJobRunner> logger) : BackgroundService
{
    /// <summary>The split seed of every retraining (recorded in the cards), the same as the command line's default.</summary>
    public const int SplitSeed = 2026;

    private static readonly TimeSpan _progressInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan _lookForJobsEvery = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan _afterFailure = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // let the host finish starting
        var recovered = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!recovered)
                {
                    await RecoverAsync(stoppingToken);
                    recovered = true;
                }
                if (await ClaimNextAsync(stoppingToken) is { } job) await RunAsync(job, stoppingToken);
                else await queue.WaitAsync(_lookForJobsEvery, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // the clinic is stopping
            }
            catch (Exception e)
            {
                // A database that is briefly unavailable must not stop the host (and every clinician's and carer's
                // connection with it): log, wait, look again.
                logger.LogError(e, "The training job runner failed; it looks for jobs again in {Delay}", _afterFailure);
                recovered = false; // a job it could not finish may still be marked running: recover it first next time
                try
                {
                    await Task.Delay(_afterFailure, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Marks jobs left running by a stop as failed and clears their staging.</summary>
    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stale = await db.TrainingJobs.Where(j => j.Status == TrainingJobStatus.Running).ToListAsync(cancellationToken);
        foreach (var job in stale)
            await FinishAsync(job.Id, TrainingJobStatus.Failed, AuditActions.TrainingFailed, "The clinic stopped while the job was running; start it again.",
                null, cancellationToken);
        if (stale.Count > 0) store.CleanIncoming();
    }

    private async Task<TrainingJobEntity?> ClaimNextAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var next = await db.TrainingJobs.AsNoTracking().Where(j => j.Status == TrainingJobStatus.Queued)
            .OrderBy(j => j.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        if (next is null) return null;
        var now = clock.GetUtcNow();
        var claimed = await db.TrainingJobs.Where(j => j.Id == next.Id && j.Status == TrainingJobStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, TrainingJobStatus.Running).SetProperty(j => j.StartedAt, now)
                .SetProperty(j => j.Stage, "reading the logged data"), cancellationToken);
        return claimed == 1 ? await db.TrainingJobs.AsNoTracking().FirstAsync(j => j.Id == next.Id, cancellationToken) : null;
    }

    private async Task RunAsync(TrainingJobEntity job, CancellationToken stoppingToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        queue.Running(job.Id, cancel);
        notifier.Publish(job);
        var staging = store.CreateStaging();
        var progress = new LatestProgress();
        Task<TrainedBundle>? training = null;
        try
        {
            if (job.CancelRequested) await cancel.CancelAsync();
            var request = await RequestAsync(job, cancel.Token);
            logger.LogInformation("Training job {Job}: training on {Source}", job.Id, request.Data.Source);
            training = Task.Factory.StartNew(() => trainer.Train(request, staging, progress.Report, cancel.Token),
                cancel.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            using (var timer = new PeriodicTimer(_progressInterval))
            {
                while (!training.IsCompleted)
                {
                    await Task.WhenAny(training, timer.WaitForNextTickAsync(CancellationToken.None).AsTask());
                    if (!training.IsCompleted && await SaveProgressAsync(job.Id, progress) && !cancel.IsCancellationRequested)
                        await cancel.CancelAsync();
                }
            }
            var trained = await training;
            store.Publish(staging);
            await RegisterAsync(job, trained, request.Data.Source, stoppingToken);
            logger.LogInformation("Training job {Job}: candidate bundle {Bundle} registered", job.Id, trained.Manifest.Id);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            store.Discard(staging);
            var byShutdown = stoppingToken.IsCancellationRequested;
            await FinishAsync(job.Id, TrainingJobStatus.Cancelled, byShutdown ? AuditActions.TrainingCancelled : null,
                byShutdown ? "Cancelled: the clinic stopped." : "Cancelled; no model was kept.", null, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Training job {Job} failed", job.Id);
            await StopAsync(cancel, training); // the loop around it failed (saving progress, say): no trainer left behind
            store.Discard(staging);
            var message = e is BundleTrainingException ? e.Message : $"Training failed: {e.Message}";
            await FinishAsync(job.Id, TrainingJobStatus.Failed, AuditActions.TrainingFailed, "Failed; no model was kept.", message, CancellationToken.None);
        }
        finally
        {
            queue.Finished(job.Id);
        }
    }

    /// <summary>Cancels a training still running and waits for it to end, whatever it ends with.</summary>
    private static async Task StopAsync(CancellationTokenSource cancel, Task<TrainedBundle>? training)
    {
        if (training is null || training.IsCompleted) return;
        await cancel.CancelAsync();
        try
        {
            await training;
        }
        catch (Exception)
        {
            // Its end is not the failure being reported.
        }
    }

    private async Task<BundleTrainingRequest> RequestAsync(TrainingJobEntity job, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var data = await TrainingDataReader.ReadAsync(db, cancellationToken);
        var promoted = await db.ModelBundles.AsNoTracking().Where(b => b.Status == ModelCareStatus.PromotedForCare)
            .OrderByDescending(b => b.PromotedAt).FirstOrDefaultAsync(cancellationToken);
        return new BundleTrainingRequest(data, BundlePresets.For(job.Quick), SplitSeed,
            $"Retrained in the clinic (job {job.Id}, started by {job.StartedByName}, {(job.Quick ? "quick" : "default")} preset) on {data.Source}.",
            promoted is null ? null : (new ModelStore(promoted.Location), promoted.BundleId));
    }

    /// <summary>Stores the latest progress; returns whether someone asked to cancel the job.</summary>
    private async Task<bool> SaveProgressAsync(Guid jobId, LatestProgress progress)
    {
        var (stage, fraction) = progress.Read();
        await using var db = await contexts.CreateDbContextAsync();
        await db.TrainingJobs.Where(j => j.Id == jobId)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Stage, stage).SetProperty(j => j.Progress, fraction));
        var job = await db.TrainingJobs.AsNoTracking().FirstAsync(j => j.Id == jobId);
        notifier.Publish(job);
        return job.CancelRequested;
    }

    private async Task RegisterAsync(TrainingJobEntity job, TrainedBundle trained, string source, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (_, finished) = await audit.RecordAsync(async db =>
        {
            db.ModelBundles.Add(new ModelBundleEntity
            {
                BundleId = trained.Manifest.Id, Status = ModelCareStatus.Candidate, Location = store.Root,
                CardsJson = JsonSerializer.Serialize(trained.Cards), DataFingerprint = trained.Evaluation.DataFingerprint,
                EvaluationJson = JsonSerializer.Serialize(trained.Evaluation), RegisteredAt = now, Shipped = false,
            });
            var entity = await db.TrainingJobs.FirstAsync(j => j.Id == job.Id, cancellationToken);
            entity.Status = TrainingJobStatus.Succeeded;
            entity.FinishedAt = now;
            entity.Progress = 1;
            entity.Stage = "done";
            entity.ResultBundleId = trained.Manifest.Id;
            entity.Message = $"Candidate bundle {trained.Manifest.Id} registered; it serves no care until promoted.";
            var draft = new AuditDraft(now, AuditActors.SystemId, AuditActors.SystemName, AuditActors.SystemRole, AuditActions.TrainingFinished,
                AuditEntityTypes.TrainingRun, job.Id.ToString(), null, AuditOutcome.Success, AuditDetails.Of(new
                {
                    jobId = job.Id, bundleId = trained.Manifest.Id, status = nameof(ModelCareStatus.Candidate),
                    models = trained.Manifest.Models.Select(m => new { m.Role, m.ModelId, m.CardSha256 }),
                    dataFingerprint = trained.Evaluation.DataFingerprint, data = source, testPatients = trained.Evaluation.TestPatients,
                }));
            return ((IReadOnlyList<AuditDraft>)[draft], entity);
        }, cancellationToken);
        notifier.Publish(finished);
    }

    private async Task FinishAsync(Guid jobId, TrainingJobStatus status, string? auditAction, string message, string? error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (_, finished) = await audit.RecordAsync(async db =>
        {
            var job = await db.TrainingJobs.FirstAsync(j => j.Id == jobId, cancellationToken);
            if (job.Status != TrainingJobStatus.Running) return ((IReadOnlyList<AuditDraft>)[], job); // finished already
            job.Status = status;
            job.FinishedAt = now;
            job.Message = message;
            job.Error = error;
            IReadOnlyList<AuditDraft> drafts = auditAction is null
                ? []
                : [new AuditDraft(now, AuditActors.SystemId, AuditActors.SystemName, AuditActors.SystemRole, auditAction, AuditEntityTypes.TrainingRun,
                    jobId.ToString(), null, status == TrainingJobStatus.Failed ? AuditOutcome.Failure : AuditOutcome.Success,
                    AuditDetails.Of(new { jobId, stage = job.Stage, progress = job.Progress, message, error }))];
            return (drafts, job);
        }, cancellationToken);
        notifier.Publish(finished);
    }

    /// <summary>The trainer's latest (stage, fraction), written on its thread and read by the runner's loop.</summary>
    private sealed class LatestProgress
    {
        private (string Stage, double Fraction) _latest = ("starting", 0);
        private readonly Lock _lock = new();

        public void Report(string stage, double fraction)
        {
            lock (_lock) _latest = (stage, fraction);
        }

        public (string Stage, double Fraction) Read()
        {
            lock (_lock) return _latest;
        }
    }
}
