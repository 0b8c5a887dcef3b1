using Amrs.Clinic.Security;
using Amrs.Core.Audit;
using Amrs.Core.Security;
using Amrs.Data;
using Amrs.Data.Audit;
using Amrs.Data.Governance;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Clinic.Services.Governance;

/// <summary>The outcome of asking for a training job: the queued job, or why not (nothing queued).</summary>
public sealed record JobRequestOutcome(TrainingJobEntity? Job, string? Refusal)
{
    public bool Succeeded => Refusal is null;
}

/// <summary>
/// Retraining as the registry page asks for it: an Admin queues a job (world model, then BC, then DPO on all
/// logged data; the <see cref="TrainingJobRunner"/> runs it in the background) or asks to cancel it; Admins and
/// Clinicians see its progress. One job at a time: checked here and enforced by a unique index in the database.
/// </summary>
public sealed class TrainingJobs(
    CurrentUser currentUser,
    IDbContextFactory<ClinicDbContext> contexts,
    AuditLog audit,
    TrainingJobQueue queue,
    TrainingJobNotifier notifier,
    TimeProvider clock)
{
    public const string QueuedStage = "queued";
    public const string AlreadyActive = "A training job is already queued or running; wait for it to finish or cancel it first.";

    /// <summary>Queues a job; <paramref name="quick"/> chooses the quick preset (minutes) over the default one (tens of minutes).</summary>
    public async Task<JobRequestOutcome> StartAsync(bool quick, CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.Administration);
        var now = clock.GetUtcNow();
        var (_, outcome) = await audit.RecordAsync(async db =>
        {
            if (await db.TrainingJobs.AnyAsync(j => j.Status == TrainingJobStatus.Queued || j.Status == TrainingJobStatus.Running, cancellationToken))
                return ((IReadOnlyList<AuditDraft>)[], new JobRequestOutcome(null, AlreadyActive));
            var job = new TrainingJobEntity
            {
                Id = Guid.NewGuid(), Status = TrainingJobStatus.Queued, StartedByUserId = actor.UserId, StartedByName = actor.FullName,
                CreatedAt = now, Stage = QueuedStage, Quick = quick,
            };
            db.TrainingJobs.Add(job);
            var draft = new AuditDraft(now, actor.UserId, actor.FullName, actor.Role, AuditActions.TrainingStarted, AuditEntityTypes.TrainingRun,
                job.Id.ToString(), null, AuditOutcome.Success, AuditDetails.Of(new { jobId = job.Id, preset = quick ? "quick" : "default", data = "all logged sessions" }));
            return ((IReadOnlyList<AuditDraft>)[draft], new JobRequestOutcome(job, null));
        }, cancellationToken);
        if (outcome.Job is { } queued)
        {
            notifier.Publish(queued);
            queue.Wake();
        }
        return outcome;
    }

    /// <summary>Asks the job to stop; it ends as Cancelled and leaves no model behind. Audited as the person's request.</summary>
    public async Task<string?> CancelAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.Administration);
        var now = clock.GetUtcNow();
        var (_, refusal) = await audit.RecordAsync(async db =>
        {
            var job = await db.TrainingJobs.FirstOrDefaultAsync(j => j.Id == jobId, cancellationToken);
            if (job is null) return ((IReadOnlyList<AuditDraft>)[], "That training job does not exist.");
            if (job.Status is not (TrainingJobStatus.Queued or TrainingJobStatus.Running))
                return ((IReadOnlyList<AuditDraft>)[], $"The job has already ended ({job.Status}).");
            if (job.CancelRequested) return ((IReadOnlyList<AuditDraft>)[], (string?)null);
            job.CancelRequested = true;
            job.Message = $"Cancel requested by {actor.FullName}";
            var draft = new AuditDraft(now, actor.UserId, actor.FullName, actor.Role, AuditActions.TrainingCancelled, AuditEntityTypes.TrainingRun,
                job.Id.ToString(), null, AuditOutcome.Success, AuditDetails.Of(new { jobId = job.Id, requested = true, stage = job.Stage, progress = job.Progress }));
            return ((IReadOnlyList<AuditDraft>)[draft], (string?)null);
        }, cancellationToken);
        if (refusal is null) queue.RequestCancel(jobId);
        return refusal;
    }

    /// <summary>The job queued or running now, else the most recent one (null when there never was one).</summary>
    public async Task<TrainingJobEntity?> LatestAsync(CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Policies.ModelView);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.TrainingJobs.AsNoTracking()
            .OrderByDescending(j => j.Status == TrainingJobStatus.Queued || j.Status == TrainingJobStatus.Running)
            .ThenByDescending(j => j.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
    }
}
