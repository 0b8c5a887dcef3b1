using Amrs.Clinic.Services.Delivery;
using Amrs.Clinic.Services.Patients;
using Amrs.Clinic.Services.Preview;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Affect;
using Amrs.Core.Ethics;
using Amrs.Core.Security;
using Amrs.Core.Utility;
using Amrs.Data;
using Amrs.Data.Clinical;
using Amrs.Data.Delivery;
using Amrs.Data.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Services;

/// <summary>
/// The whole care cycle on the real engine with the bundle shipped in models/: a clinician signs the model's
/// proposal, care staff deliver it (the guard decodes the proposal again with the real policy and must get the
/// signed list), and the delivered session becomes part of the history the next proposal is made from.
/// </summary>
public sealed class ShippedEngineCareCycleTests(ClinicFactory factory) : IClassFixture<ClinicFactory>
{
    private static string Clinician => DemoAccounts.For(Roles.Clinician).UserName;
    private static string Carer => DemoAccounts.For(Roles.CareStaff).UserName;

    [Fact]
    public async Task A_signed_model_playlist_is_delivered_on_the_real_engine_and_becomes_history()
    {
        var me = await SignedInScope.UserIdAsync(factory, Clinician);
        var patient = await ClinicalSeed.AddPatientAsync(factory.Services, me, careUnit: DemoAccounts.For(Roles.CareStaff).CareUnit!);
        Guid approvalId;
        IReadOnlyList<string> signedTracks;
        await using (var clinician = await SignedInScope.ForAsync(factory, Clinician))
        {
            var profile = UtilityProfile.DefaultFor(SessionMode.Calm) with { PlaylistLength = 4 };
            Assert.True((await clinician.ServiceProvider.GetRequiredService<UtilityProfiles>().SaveAsync(patient, profile, "calm afternoons")).Succeeded);
            var preview = (await clinician.ServiceProvider.GetRequiredService<PlaylistPreviews>().PreviewAsync(patient)).Preview!;
            var signed = await clinician.ServiceProvider.GetRequiredService<PlaylistApprovals>()
                .ApproveAsync(preview.PreviewId, ClinicFactory.DemoPassword, true, DateOnly.FromDateTime(DateTime.UtcNow), "quiet room");
            Assert.True(signed.Succeeded, string.Join(" ", signed.Errors));
            approvalId = signed.Approval!.Id;
            signedTracks = signed.Approval.TrackIds;
        }

        await using var carer = await SignedInScope.ForAsync(factory, Carer);
        var delivery = carer.ServiceProvider.GetRequiredService<DeliveryService>();
        Assert.Contains(await delivery.TodayAsync(), i => i.ApprovalId == approvalId && i.Notes == "quiet room");
        var started = await delivery.StartAsync(approvalId, new AffectPoint(0.4, 0.7));
        Assert.True(started.Started, started.Refusal);
        Assert.Equal(GuardRules.AllPassed, started.Rule);
        var id = started.DeliveryId!.Value;
        for (var position = 0; position < signedTracks.Count; position++)
        {
            var observation = new TrackObservation(Valence: 0.5, Arousal: 0.6 - 0.1 * position, Pleasure: 3, Engagement: TrackEngagement.Full);
            Assert.True((await delivery.SaveTrackAsync(id, position, observation)).Saved);
            Assert.True((await delivery.AdvanceAsync(id, position)).Moved);
        }
        var ended = await delivery.CompleteAsync(id, "settled");

        Assert.True(ended.Ended, ended.Error);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync();
        var log = await db.SessionLogs.Include(s => s.Steps).SingleAsync(s => s.SessionId == DeliveredSessionLog.SessionIdFor(id));
        Assert.Equal(SessionSource.Delivered, log.Source);
        Assert.Equal(signedTracks, log.Steps.OrderBy(s => s.Position).Select(s => s.TrackId));
        Assert.Equal([0.6, 0.5, 0.4, 0.3], log.Steps.OrderBy(s => s.Position).Select(s => Math.Round(s.Arousal!.Value, 9)));
        var history = await CareContextLoader.HistoryBeforeAsync(db, patient, DateTimeOffset.UtcNow.AddSeconds(1), CancellationToken.None);
        Assert.Equal(3, history.Count);
        Assert.Equal(signedTracks, history[^1].Steps.Select(s => s.TrackId));
    }
}
