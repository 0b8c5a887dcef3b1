using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Engine;
using Amrs.Clinic.Services.Governance;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Audit;
using Amrs.Core.Ethics;
using Amrs.Core.Security;
using Amrs.Data;
using Amrs.Data.Governance;
using Amrs.Data.Seeding;
using Amrs.Engine.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Services.Governance;

/// <summary>
/// Retraining jobs through the real clinic, its database, background runner and model store, with a trainer the
/// test drives (<see cref="FakeCandidateTrainer"/>): start, stored progress, one job at a time, cancel, failure.
/// </summary>
public sealed class TrainingJobTests(GovernanceClinic clinic) : IClassFixture<GovernanceClinic>, IAsyncLifetime
{
    private static string Admin => DemoAccounts.For(Roles.Admin).UserName;
    private static string Clinician => DemoAccounts.For(Roles.Clinician).UserName;

    public async ValueTask InitializeAsync()
    {
        clinic.Trainer.Reset();
        await ClinicalSeed.AddPatientAsync(clinic.Services, null);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_job_stores_its_progress_refuses_a_second_job_meanwhile_and_registers_a_candidate_that_serves_no_care()
    {
        var progressed = JobEventAsync(j => j.Status == TrainingJobStatus.Running && j.Progress == FakeCandidateTrainer.ProgressFraction);
        var started = await AsAdminAsync(jobs => jobs.StartAsync(quick: true));
        Assert.True(started.Succeeded, started.Refusal);
        await clinic.Trainer.Started;
        await progressed;

        // What a reloaded page reads: the progress stored in the database.
        var stored = await AsAsync(Clinician, jobs => jobs.LatestAsync());
        Assert.Equal((started.Job!.Id, TrainingJobStatus.Running, FakeCandidateTrainer.ProgressStage, FakeCandidateTrainer.ProgressFraction),
            (stored!.Id, stored.Status, stored.Stage, stored.Progress));
        var second = await AsAdminAsync(jobs => jobs.StartAsync(quick: true));
        Assert.Equal(TrainingJobs.AlreadyActive, second.Refusal);

        var ended = JobEventAsync(j => j.Id == started.Job.Id && j.Status == TrainingJobStatus.Succeeded);
        clinic.Trainer.Finish();
        var job = await ended;

        await using var db = await DbAsync();
        var bundle = await db.ModelBundles.SingleAsync(b => b.BundleId == job.ResultBundleId);
        Assert.Equal(ModelCareStatus.Candidate, bundle.Status);
        Assert.NotNull(bundle.EvaluationJson);
        Assert.Equal(Path.GetFullPath(clinic.ModelStoreRoot), bundle.Location);
        var store = new ModelStore(clinic.ModelStoreRoot);
        Assert.Equal(3, store.OpenBundle(bundle.BundleId).Models.Count);
        Assert.Empty(Directory.EnumerateDirectories(store.Root, ".incoming-*"));
        var care = await clinic.Services.GetRequiredService<ICareEngine>().CareBundleAsync();
        Assert.NotEqual(bundle.BundleId, care!.BundleId);
        var actions = await db.AuditEntries.Where(e => e.EntityId == job.Id.ToString()).OrderBy(e => e.Sequence).Select(e => new { e.Action, e.ActorName }).ToListAsync();
        Assert.Equal([AuditActions.TrainingStarted, AuditActions.TrainingFinished], actions.Select(a => a.Action));
        Assert.Equal(DemoAccounts.For(Roles.Admin).FullName, actions[0].ActorName);
    }

    [Fact]
    public async Task Cancelling_a_running_job_ends_it_as_cancelled_and_leaves_no_model_behind()
    {
        var modelsBefore = new ModelStore(clinic.ModelStoreRoot).List().Count;
        int bundlesBefore;
        await using (var before = await DbAsync()) bundlesBefore = await before.ModelBundles.CountAsync();
        var started = await AsAdminAsync(jobs => jobs.StartAsync(quick: true));
        var staging = await clinic.Trainer.Started;
        Assert.NotEmpty(Directory.EnumerateFileSystemEntries(staging)); // a model was half way

        var ended = JobEventAsync(j => j.Id == started.Job!.Id && j.Status == TrainingJobStatus.Cancelled);
        Assert.Null(await AsAdminAsync(jobs => jobs.CancelAsync(started.Job!.Id)));
        var job = await ended;

        Assert.Null(job.ResultBundleId);
        Assert.False(Directory.Exists(staging));
        Assert.Equal(modelsBefore, new ModelStore(clinic.ModelStoreRoot).List().Count);
        await using var db = await DbAsync();
        Assert.Equal(bundlesBefore, await db.ModelBundles.CountAsync());
        var cancelled = await db.AuditEntries.SingleAsync(e => e.EntityId == job.Id.ToString() && e.Action == AuditActions.TrainingCancelled);
        Assert.Equal(DemoAccounts.For(Roles.Admin).FullName, cancelled.ActorName);
    }

    [Fact]
    public async Task A_cancel_request_stored_in_the_database_by_another_instance_stops_the_job()
    {
        var started = await AsAdminAsync(jobs => jobs.StartAsync(quick: true));
        var staging = await clinic.Trainer.Started;
        var ended = JobEventAsync(j => j.Id == started.Job!.Id && j.Status == TrainingJobStatus.Cancelled);

        await using (var db = await DbAsync())
            await db.TrainingJobs.Where(j => j.Id == started.Job!.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.CancelRequested, true));
        await ended;

        Assert.False(Directory.Exists(staging));
    }

    [Fact]
    public async Task A_failed_job_records_the_error_and_leaves_no_model_behind()
    {
        var modelsBefore = new ModelStore(clinic.ModelStoreRoot).List().Count;
        var started = await AsAdminAsync(jobs => jobs.StartAsync(quick: false));
        var staging = await clinic.Trainer.Started;
        var ended = JobEventAsync(j => j.Id == started.Job!.Id && j.Status == TrainingJobStatus.Failed);

        clinic.Trainer.Fail("out of memory in the DPO stage");
        var job = await ended;

        Assert.Contains("out of memory in the DPO stage", job.Error);
        Assert.False(Directory.Exists(staging));
        Assert.Equal(modelsBefore, new ModelStore(clinic.ModelStoreRoot).List().Count);
        await using var db = await DbAsync();
        var failed = await db.AuditEntries.SingleAsync(e => e.EntityId == job.Id.ToString() && e.Action == AuditActions.TrainingFailed);
        Assert.Equal(AuditOutcome.Failure, failed.Outcome);
    }

    [Fact]
    public async Task Only_admins_start_or_cancel_retraining()
    {
        await Assert.ThrowsAsync<AccessDeniedException>(() => AsAsync(Clinician, jobs => jobs.StartAsync(quick: true)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => AsAsync(Clinician, jobs => jobs.CancelAsync(Guid.NewGuid())));
        await Assert.ThrowsAsync<AccessDeniedException>(() => AsAsync(DemoAccounts.For(Roles.CareStaff).UserName, jobs => jobs.LatestAsync()));
    }

    /// <summary>The next job state published to open pages that matches (subscribed before the step that causes it).</summary>
    private Task<TrainingJobEntity> JobEventAsync(Func<TrainingJobEntity, bool> match)
    {
        var seen = new TaskCompletionSource<TrainingJobEntity>(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = clinic.Services.GetRequiredService<TrainingJobNotifier>().Subscribe(job =>
        {
            if (match(job)) seen.TrySetResult(job);
        });
        return Wait();

        async Task<TrainingJobEntity> Wait()
        {
            using (subscription) return await seen.Task.WaitAsync(TimeSpan.FromSeconds(60)); // a safety net, not the synchronisation
        }
    }

    private Task<T> AsAdminAsync<T>(Func<TrainingJobs, Task<T>> call) => AsAsync(Admin, call);

    private async Task<T> AsAsync<T>(string userName, Func<TrainingJobs, Task<T>> call)
    {
        await using var scope = await SignedInScope.ForAsync(clinic.Factory, userName);
        return await call(scope.ServiceProvider.GetRequiredService<TrainingJobs>());
    }

    private Task<ClinicDbContext> DbAsync() => clinic.Services.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync();
}
