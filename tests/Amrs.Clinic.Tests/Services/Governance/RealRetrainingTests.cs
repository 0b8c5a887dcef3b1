using Amrs.Clinic.Services.Engine;
using Amrs.Clinic.Services.Governance;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Affect;
using Amrs.Core.Ethics;
using Amrs.Core.Security;
using Amrs.Core.Utility;
using Amrs.Data;
using Amrs.Data.Governance;
using Amrs.Data.Seeding;
using Amrs.Engine.Bundles;
using Amrs.Engine.Store;
using Amrs.Simulation.Generation;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Services.Governance;

/// <summary>
/// The real path once, small: a clinic with a small generated world retrains with the real TorchSharp trainer (the
/// engine's BundleTrainer, at tiny sizes so it takes seconds), and the candidate it registers loads and proposes,
/// is evaluated beside the promoted bundle, and serves no care.
/// </summary>
public sealed class RealRetrainingTests
{
    private static readonly WorldRecipe SmallWorld = WorldRecipe.For(WorldRecipe.DefaultWorld, patients: 30, tracks: 120);

    [Fact]
    public async Task A_real_retraining_job_registers_a_loadable_evaluated_candidate_that_serves_no_care()
    {
        var folder = Path.Combine(Path.GetTempPath(), "amrs-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using var baseFactory = ClinicFactory.WithDemoWorld(folder, SmallWorld);
            await using var factory = baseFactory.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
                services.AddSingleton<ICandidateTrainer>(sp => new TinyPresets(ActivatorUtilities.CreateInstance<TorchCandidateTrainer>(sp)))));
            var notifier = factory.Services.GetRequiredService<TrainingJobNotifier>();
            var ended = new TaskCompletionSource<TrainingJobEntity>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var subscription = notifier.Subscribe(j =>
            {
                if (j.Status is TrainingJobStatus.Succeeded or TrainingJobStatus.Failed or TrainingJobStatus.Cancelled) ended.TrySetResult(j);
            });

            await using (var admin = await SignedInScope.ForAsync(factory, DemoAccounts.For(Roles.Admin).UserName))
                Assert.True((await admin.ServiceProvider.GetRequiredService<TrainingJobs>().StartAsync(quick: true)).Succeeded);
            var job = await ended.Task.WaitAsync(TimeSpan.FromMinutes(10), TestContext.Current.CancellationToken);

            Assert.True(job.Status == TrainingJobStatus.Succeeded, job.Error);
            var engine = factory.Services.GetRequiredService<ICareEngine>();
            var candidate = await engine.BundleAsync(job.ResultBundleId!, TestContext.Current.CancellationToken);
            Assert.NotNull(candidate);
            Assert.False(candidate.ServesCare);
            Assert.NotEqual(candidate.BundleId, (await engine.CareBundleAsync(TestContext.Current.CancellationToken))!.BundleId);
            Assert.StartsWith(Path.GetFullPath(baseFactory.ModelStoreRoot), Path.GetFullPath(new ModelStore(baseFactory.ModelStoreRoot).Root));

            await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
            var record = await db.ModelBundles.SingleAsync(b => b.BundleId == candidate.BundleId, TestContext.Current.CancellationToken);
            var registered = RegisteredBundle.From(record);
            Assert.Equal(3, registered.Cards.Count);
            Assert.All(registered.Cards, c => Assert.Equal(record.DataFingerprint, c.TrainingDataFingerprint));
            var report = registered.Evaluation!;
            Assert.True(report.TestPatients > 0);
            Assert.Contains("valence.r2", report.Candidate.Keys);
            Assert.Contains("dpo_validation_pair_accuracy", report.Candidate.Keys);
            Assert.NotNull(report.Promoted); // the shipped bundle, scored on the same test patients
            Assert.Contains("valence.r2", report.Promoted.Keys);

            var patient = (await db.Patients.AsNoTracking().FirstAsync(TestContext.Current.CancellationToken)).ToDomain();
            var history = (await db.SessionLogs.AsNoTracking().Include(s => s.Steps).Where(s => s.PatientId == patient.PatientId)
                .ToListAsync(TestContext.Current.CancellationToken)).Select(s => s.ToDomain()).ToList();
            var proposal = await engine.ProposeAsync(candidate.BundleId, PolicyKind.Dpo,
                new CareContext(patient, history, UtilityProfile.DefaultFor(SessionMode.Calm) with { PlaylistLength = 5 }), TestContext.Current.CancellationToken);
            Assert.Equal(5, proposal.TrackIds.Count);
            Assert.Equal(candidate.DpoPolicyVersion, proposal.PolicyVersion);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { /* best effort */ }
        }
    }

    /// <summary>The real trainer at tiny sizes: one ensemble member, a couple of epochs, few preference pairs.</summary>
    private sealed class TinyPresets(ICandidateTrainer real) : ICandidateTrainer
    {
        public TrainedBundle Train(BundleTrainingRequest request, ModelStore staging, Action<string, double> progress, CancellationToken cancellationToken)
        {
            var quick = BundlePresets.Quick;
            var tiny = quick with
            {
                WorldModelTraining = quick.WorldModelTraining with { Members = 1, MaxEpochs = 2 },
                Cloning = quick.Cloning with { MaxEpochs = 1 },
                Dpo = quick.Dpo with { CorrectionPairs = 60, PlaylistPairs = 10, StepPairs = 40, StepRounds = 2, Epochs = 1, RolloutTrajectories = 2 },
            };
            return real.Train(request with { Presets = tiny }, staging, progress, cancellationToken);
        }
    }
}
