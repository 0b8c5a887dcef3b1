using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Delivery;
using Amrs.Clinic.Services.Patients;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Affect;
using Amrs.Core.Audit;
using Amrs.Core.Ethics;
using Amrs.Core.Security;
using Amrs.Data;
using Amrs.Data.Clinical;
using Amrs.Data.Delivery;
using Amrs.Data.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Services;

/// <summary>
/// Care delivery through the real clinic and its SQLite database, each call made as a signed-in account, with the
/// deterministic fake engine in place of the learned models.
/// </summary>
public sealed class DeliveryServiceTests(CareClinic clinic) : IClassFixture<CareClinic>
{
    private static readonly AffectPoint Baseline = new(0.3, 0.7);
    private static string Carer => DemoAccounts.For(Roles.CareStaff).UserName;
    private static string Clinician => DemoAccounts.For(Roles.Clinician).UserName;
    private static string ClinicianName => DemoAccounts.For(Roles.Clinician).FullName;

    [Fact]
    public async Task Starting_from_an_approved_playlist_writes_the_running_session_the_baseline_and_the_audit_entries()
    {
        var (patient, approval) = await ApprovedPlaylistAsync();

        var result = await AsCarerAsync(d => d.StartAsync(approval, Baseline));

        Assert.True(result.Started, result.Refusal);
        Assert.Equal(GuardRules.AllPassed, result.Rule);
        await using var db = await DbAsync();
        var delivery = await db.DeliverySessions.Include(d => d.Observations).SingleAsync(d => d.ApprovalId == approval);
        Assert.Equal(DeliveryStatus.Running, delivery.Status);
        var baseline = Assert.Single(delivery.Observations);
        Assert.Equal((ObservationKind.Baseline, 1, 0.3, 0.7), (baseline.Kind, baseline.Version, baseline.Valence!.Value, baseline.Arousal!.Value));
        var actions = await db.AuditEntries.Where(e => e.PatientId == patient).OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync();
        Assert.Equal([AuditActions.GuardAllowed, AuditActions.SessionStarted], actions);
        // The proposal was decoded again with the inputs recorded on the preview: the profile and the history before it.
        var context = clinic.Engine.Contexts.Last(c => c.Patient.PatientId == patient);
        Assert.Equal(2, context.History.Count);
        Assert.Equal(SessionMode.Clinical, context.Profile.Mode);
    }

    public enum Refusal
    {
        NotApproved,
        Expired,
        NotYetInForce,
        ChangedAfterSigning,
        ModelNotPromoted,
        NotReproduced,
        NoConsent,
    }

    [Theory]
    [InlineData(Refusal.NotApproved, GuardRules.PlaylistApproved)]
    [InlineData(Refusal.Expired, GuardRules.ApprovalInForce)]
    [InlineData(Refusal.NotYetInForce, GuardRules.ApprovalInForce)]
    [InlineData(Refusal.ChangedAfterSigning, GuardRules.BindingMatches)]
    [InlineData(Refusal.ModelNotPromoted, GuardRules.ModelPromotedForCare)]
    [InlineData(Refusal.NotReproduced, GuardRules.ProposalReproduced)]
    [InlineData(Refusal.NoConsent, GuardRules.ConsentRequired)]
    public async Task A_start_the_guard_refuses_writes_nothing_but_the_audited_refusal_with_its_rule(Refusal refusal, string rule)
    {
        var bundle = FakeCareEngine.CareBundleId;
        if (refusal == Refusal.ModelNotPromoted)
        {
            bundle = $"bundle-{Guid.NewGuid():N}";
            clinic.Engine.AddBundle(bundle, ModelCareStatus.Candidate);
        }
        var seed = refusal switch
        {
            Refusal.NotApproved => new PlaylistSeed { Status = ApprovalStatus.Pending },
            Refusal.Expired => new PlaylistSeed { ScheduledFromNow = TimeSpan.FromHours(-3), ValidFor = TimeSpan.FromHours(2) },
            Refusal.NotYetInForce => new PlaylistSeed { ScheduledFromNow = TimeSpan.FromHours(1) },
            Refusal.ChangedAfterSigning => new PlaylistSeed { ChangedAfterSigning = true },
            _ => new PlaylistSeed { BundleId = bundle },
        };
        var (patient, approval) = await ApprovedPlaylistAsync(seed, consent: refusal != Refusal.NoConsent);
        if (refusal == Refusal.NotReproduced) clinic.Engine.ProposeFor(patient, ["T-6", "T-5", "T-4", "T-2", "T-1"]);

        var result = await AsCarerAsync(d => d.StartAsync(approval, Baseline));

        Assert.False(result.Started);
        Assert.Equal(rule, result.Rule);
        Assert.StartsWith("This session may not start: ", result.Refusal, StringComparison.Ordinal);
        await using var db = await DbAsync();
        Assert.False(await db.DeliverySessions.AnyAsync(d => d.ApprovalId == approval));
        var entry = Assert.Single(await db.AuditEntries.Where(e => e.PatientId == patient).ToListAsync());
        Assert.Equal((AuditActions.GuardRefused, AuditOutcome.Refused, approval.ToString()), (entry.Action, entry.Outcome, entry.EntityId));
        Assert.Contains($"\"rule\":\"{rule}\"", entry.Details, StringComparison.Ordinal);
        Assert.Contains("\"check\":\"start-session\"", entry.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_start_of_a_running_playlist_is_refused_and_points_to_the_running_session()
    {
        var (_, approval) = await ApprovedPlaylistAsync();
        var first = await AsCarerAsync(d => d.StartAsync(approval, Baseline));

        var second = await AsCarerAsync(d => d.StartAsync(approval, Baseline));

        Assert.False(second.Started);
        Assert.Equal(first.DeliveryId, second.RunningDeliveryId);
        Assert.Contains("already running", second.Refusal, StringComparison.Ordinal);
        await using var db = await DbAsync();
        Assert.Equal(1, await db.DeliverySessions.CountAsync(d => d.ApprovalId == approval));
    }

    [Fact]
    public async Task Observations_saved_as_entered_are_there_for_a_new_circuit_after_the_first_is_gone()
    {
        var (_, approval) = await ApprovedPlaylistAsync();
        Guid id;
        await using (var first = await SignedInScope.ForAsync(clinic.Factory, Carer))
        {
            var deliveries = first.ServiceProvider.GetRequiredService<DeliveryService>();
            id = (await deliveries.StartAsync(approval, Baseline)).DeliveryId!.Value;
            Assert.True((await deliveries.SaveTrackAsync(id, 0, new TrackObservation(Valence: 0.6, Arousal: 0.4))).Saved);
            Assert.True((await deliveries.SaveTrackAsync(id, 0, new TrackObservation(Valence: 0.6, Arousal: 0.4, Pleasure: 4,
                Engagement: TrackEngagement.Full))).Saved);
            Assert.True((await deliveries.AdvanceAsync(id, expectedRevision: 0)).Moved);
            Assert.True((await deliveries.SaveTrackAsync(id, 1, new TrackObservation(Sadness: 2, Note: "Looked out of the window"))).Saved);
        } // the first circuit (tab) is gone

        await using var second = await SignedInScope.ForAsync(clinic.Factory, Carer);
        var resumed = await second.ServiceProvider.GetRequiredService<DeliveryService>().GetAsync(id);

        Assert.True(resumed.IsRunning);
        Assert.Equal(1, resumed.CurrentPosition);
        Assert.Equal(FakeCareEngine.DefaultProposal[1], resumed.CurrentTrack!.TrackId);
        Assert.Equal(new AffectPoint(0.3, 0.7), resumed.Baseline);
        Assert.Equal(new TrackObservation(Valence: 0.6, Arousal: 0.4, Pleasure: 4, Engagement: TrackEngagement.Full), resumed.TrackObservations[0].Values);
        Assert.Equal(2, resumed.TrackObservations[0].Version);
        Assert.Equal(new TrackObservation(Sadness: 2, Note: "Looked out of the window"), resumed.ObservationAt(1));
    }

    [Fact]
    public async Task A_correction_is_a_new_version_and_the_earlier_one_is_kept()
    {
        var id = await StartedSessionAsync();

        await AsCarerAsync(d => d.SaveTrackAsync(id, 0, new TrackObservation(Valence: 0.2, Arousal: 0.8, Anger: 3)));
        var corrected = await AsCarerAsync(d => d.SaveTrackAsync(id, 0, new TrackObservation(Valence: 0.25, Arousal: 0.8, Anger: 2)));

        Assert.Equal(2, corrected.Version);
        await using var db = await DbAsync();
        var versions = await db.DeliveryObservations.Where(o => o.DeliveryId == id && o.Kind == ObservationKind.Track)
            .OrderBy(o => o.Version).ToListAsync();
        Assert.Equal([(1, 0.2, 3), (2, 0.25, 2)], versions.Select(o => (o.Version, o.Valence!.Value, o.Anger!.Value)));
        Assert.Equal(2, await db.AuditEntries.CountAsync(e => e.Action == AuditActions.Annotation && e.EntityId.StartsWith(id.ToString())));
    }

    [Theory]
    [InlineData(1.3, null, null, null, "Valence")]
    [InlineData(0.5, -0.1, null, null, "Arousal")]
    [InlineData(0.5, 0.5, 7, null, "Pleasure")]
    [InlineData(0.5, 0.5, 0, null, "Pleasure")]
    [InlineData(null, null, null, 2, "Rating")]
    public async Task Out_of_range_values_are_refused_naming_the_field_and_nothing_is_saved(
        double? valence, double? arousal, int? pleasure, int? rating, string field)
    {
        var id = await StartedSessionAsync();

        var result = await AsCarerAsync(d => d.SaveTrackAsync(id, 0,
            new TrackObservation(Valence: valence, Arousal: arousal ?? (valence is null ? null : 0.5), Pleasure: pleasure, Rating: rating)));

        Assert.False(result.Saved);
        Assert.Contains(result.Errors, e => e.StartsWith(field + ":", StringComparison.Ordinal));
        Assert.Equal(0, await TrackObservationCountAsync(id));
    }

    [Theory]
    [InlineData(-1, "not in the approved list")]
    [InlineData(5, "not in the approved list")]
    [InlineData(2, "has not been played yet")]
    public async Task Only_tracks_of_the_approved_list_that_were_reached_can_be_annotated(int position, string message)
    {
        var id = await StartedSessionAsync();

        var result = await AsCarerAsync(d => d.SaveTrackAsync(id, position, new TrackObservation(Pleasure: 3)));

        Assert.False(result.Saved);
        Assert.Contains(message, Assert.Single(result.Errors), StringComparison.Ordinal);
        Assert.Equal(0, await TrackObservationCountAsync(id));
    }

    [Fact]
    public async Task Skip_records_the_track_as_skipped_and_a_stale_revision_cannot_move_the_session()
    {
        var id = await StartedSessionAsync();
        await AsCarerAsync(d => d.SaveTrackAsync(id, 0, new TrackObservation(Pleasure: 2, Note: "Restless")));

        var skipped = await AsCarerAsync(d => d.SkipAsync(id, expectedRevision: 0));
        var stale = await AsCarerAsync(d => d.AdvanceAsync(id, expectedRevision: 0)); // a second device that did not see the skip

        Assert.True(skipped.Moved);
        Assert.Equal(new TrackObservation(Pleasure: 2, Engagement: TrackEngagement.Skipped, Note: "Restless"), skipped.Session.ObservationAt(0));
        Assert.False(stale.Moved);
        Assert.Equal(1, stale.Session.CurrentPosition);
        Assert.Equal(1, stale.Session.Revision);
    }

    [Fact]
    public async Task Stop_now_ends_the_session_audits_an_adverse_event_and_the_clinician_sees_the_alert_until_acknowledged()
    {
        var (patient, approval) = await ApprovedPlaylistAsync();
        var id = (await AsCarerAsync(d => d.StartAsync(approval, Baseline))).DeliveryId!.Value;
        await AsCarerAsync(d => d.SaveTrackAsync(id, 0, new TrackObservation(AnxietyFear: 5, Engagement: TrackEngagement.Refused)));

        var stopped = await AsCarerAsync(d => d.StopNowAsync(id, "Distress: crying, calling for her mother"));
        var afterwards = await AsCarerAsync(d => d.SaveTrackAsync(id, 0, new TrackObservation(Pleasure: 1)));

        Assert.True(stopped.Ended, stopped.Error);
        Assert.False(afterwards.Saved);
        await using (var db = await DbAsync())
        {
            var delivery = await db.DeliverySessions.Include(d => d.Observations).SingleAsync(d => d.Id == id);
            Assert.Equal((DeliveryStatus.Stopped, "Distress: crying, calling for her mother"), (delivery.Status, delivery.StopReason));
            Assert.NotNull(delivery.EndedAt);
            Assert.Contains(delivery.Observations, o => o.Kind == ObservationKind.Stop && o.Note == delivery.StopReason);
            var actions = await db.AuditEntries.Where(e => e.EntityId == id.ToString()).Select(e => e.Action).ToListAsync();
            Assert.Contains(AuditActions.SessionStopped, actions);
            Assert.Contains(AuditActions.AdverseEvent, actions);
        }

        await using var clinician = await SignedInScope.ForAsync(clinic.Factory, Clinician);
        var directory = clinician.ServiceProvider.GetRequiredService<PatientDirectory>();
        var alerts = clinician.ServiceProvider.GetRequiredService<DeliveryAlerts>();
        Assert.Equal(1, await AlertCountAsync(directory, patient));
        var open = Assert.Single(await alerts.OpenAsync(patient));
        Assert.Equal((id, "Distress: crying, calling for her mother", "Casey Carer"), (open.DeliveryId, open.Reason, open.StoppedBy));

        Assert.Null(await alerts.AcknowledgeAsync(id));
        Assert.Equal(0, await AlertCountAsync(directory, patient));
        Assert.Empty(await alerts.OpenAsync(patient));
    }

    [Fact]
    public async Task Completion_writes_a_delivered_session_log_with_the_engagement_mapping_and_the_latest_versions()
    {
        var (patient, approval) = await ApprovedPlaylistAsync();
        var id = (await AsCarerAsync(d => d.StartAsync(approval, Baseline))).DeliveryId!.Value;
        var revision = 0;
        async Task NextAsync() => Assert.True((await AsCarerAsync(d => d.AdvanceAsync(id, revision++))).Moved);
        await AsCarerAsync(d => d.SaveTrackAsync(id, 0, new TrackObservation(Valence: 0.2, Arousal: 0.6, Engagement: TrackEngagement.Full, Rating: 1)));
        await AsCarerAsync(d => d.SaveTrackAsync(id, 0, new TrackObservation(Valence: 0.7, Arousal: 0.5, Engagement: TrackEngagement.Full, Rating: 1)));
        await NextAsync();
        await AsCarerAsync(d => d.SaveTrackAsync(id, 1, new TrackObservation(Engagement: TrackEngagement.Partial, ListenedFraction: 0.4)));
        await NextAsync();
        await AsCarerAsync(d => d.SaveTrackAsync(id, 2, new TrackObservation(Valence: 0.4, Arousal: 0.3, Engagement: TrackEngagement.Refused, Rating: 0)));
        await NextAsync();
        Assert.True((await AsCarerAsync(d => d.SkipAsync(id, revision++))).Moved);
        await NextAsync(); // the fifth track was played without anything recorded

        var ended = await AsCarerAsync(d => d.CompleteAsync(id, "Calm at the end"));

        Assert.True(ended.Ended, ended.Error);
        var summary = ended.Summary!;
        Assert.Equal((4, 1, 1, 1, 1), (summary.TracksPlayed, summary.Full, summary.Partial, summary.Refused, summary.Skipped));
        Assert.Equal((1.0 + 0.4) / 4, summary.MeanEngagement, precision: 9);
        await using var db = await DbAsync();
        var log = await db.SessionLogs.Include(s => s.Steps).SingleAsync(s => s.SessionId == DeliveredSessionLog.SessionIdFor(id));
        Assert.Equal((SessionSource.Delivered, patient, SessionMode.Clinical), (log.Source, log.PatientId, log.Mode));
        var steps = log.Steps.OrderBy(s => s.Position).Select(s => (s.Position, s.TrackId, s.Engagement, s.Rating, s.Valence, s.Arousal)).ToList();
        var tracks = FakeCareEngine.DefaultProposal;
        Assert.Equal(
            [(0, tracks[0], 1.0, 1, 0.7, 0.5), (1, tracks[1], 0.4, null, null, null), (2, tracks[2], 0.0, 0, 0.4, 0.3), (3, tracks[3], 0.0, null, null, null)],
            steps.Select(s => (s.Position, s.TrackId, s.Engagement, s.Rating, s.Valence, s.Arousal)));
        Assert.Equal(DeliveryStatus.Completed, (await db.DeliverySessions.SingleAsync(d => d.Id == id)).Status);
        var completed = await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.SessionCompleted && e.EntityId == id.ToString());
        Assert.Contains(log.SessionId, completed.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_started_in_time_may_finish_after_the_approval_expires_but_no_new_one_may_start()
    {
        var (_, approval) = await ApprovedPlaylistAsync();
        var id = (await AsCarerAsync(d => d.StartAsync(approval, Baseline))).DeliveryId!.Value;
        await using (var db = await DbAsync())
        {
            // Time passes: the approval runs out while the session is playing. The data layer refuses edits of signed
            // records, so the test moves the row's end of validity directly in the database.
            await db.PlaylistApprovals.Where(a => a.Id == approval)
                .ExecuteUpdateAsync(a => a.SetProperty(x => x.ValidUntil, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }

        var saved = await AsCarerAsync(d => d.SaveTrackAsync(id, 0, new TrackObservation(Engagement: TrackEngagement.Full)));
        var completed = await AsCarerAsync(d => d.CompleteAsync(id));
        var again = await AsCarerAsync(d => d.StartAsync(approval, Baseline));

        Assert.True(saved.Saved);
        Assert.True(completed.Ended, completed.Error);
        Assert.False(again.Started);
        Assert.Equal(GuardRules.ApprovalInForce, again.Rule);
    }

    [Fact]
    public async Task Today_lists_my_units_approved_playlists_for_today_with_notes_and_the_session_to_resume()
    {
        var (_, today) = await ApprovedPlaylistAsync();
        var (_, running) = await ApprovedPlaylistAsync();
        var (_, tomorrow) = await ApprovedPlaylistAsync(new PlaylistSeed { ScheduledFromNow = TimeSpan.FromDays(1) });
        var (_, otherUnit) = await ApprovedPlaylistAsync(unit: "Unit B");
        var (_, pending) = await ApprovedPlaylistAsync(new PlaylistSeed { Status = ApprovalStatus.Pending });
        var runningId = (await AsCarerAsync(d => d.StartAsync(running, Baseline))).DeliveryId;

        var items = await AsCarerAsync(d => d.TodayAsync());

        var ids = items.Select(i => i.ApprovalId).ToList();
        Assert.Contains(today, ids);
        Assert.Contains(running, ids);
        Assert.DoesNotContain(tomorrow, ids);
        Assert.DoesNotContain(otherUnit, ids);
        Assert.DoesNotContain(pending, ids);
        Assert.Equal(runningId, items.Single(i => i.ApprovalId == running).RunningDeliveryId);
        var item = items.Single(i => i.ApprovalId == today);
        Assert.Equal((SessionMode.Clinical, "Calm voice; she likes to hold the tablet.", ClinicianName, 5, (Guid?)null),
            (item.Mode, item.Notes, item.SignedBy, item.TrackCount, item.RunningDeliveryId));
    }

    [Fact]
    public async Task Care_staff_of_another_unit_can_neither_start_nor_see_nor_annotate()
    {
        var (_, approval) = await ApprovedPlaylistAsync();
        var id = (await AsCarerAsync(d => d.StartAsync(approval, Baseline))).DeliveryId!.Value;
        var outsider = await ClinicFactory.CreateAccountAsync(clinic.Services, Roles.CareStaff, "Outsider-Unit-B-2026", careUnit: "Unit B");
        await using var scope = await SignedInScope.ForAsync(clinic.Factory, outsider);
        var deliveries = scope.ServiceProvider.GetRequiredService<DeliveryService>();

        await Assert.ThrowsAsync<AccessDeniedException>(() => deliveries.StartAsync(approval, Baseline));
        await Assert.ThrowsAsync<AccessDeniedException>(() => deliveries.GetAsync(id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => deliveries.SaveTrackAsync(id, 0, new TrackObservation(Pleasure: 3)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => deliveries.StopNowAsync(id, "Distress"));
        Assert.DoesNotContain(await deliveries.TodayAsync(), i => i.ApprovalId == approval);
        Assert.Equal(0, await TrackObservationCountAsync(id));
    }

    [Fact]
    public async Task A_clinician_may_look_at_a_session_but_not_deliver_it()
    {
        var id = await StartedSessionAsync();
        await using var scope = await SignedInScope.ForAsync(clinic.Factory, Clinician);
        var deliveries = scope.ServiceProvider.GetRequiredService<DeliveryService>();

        var view = await deliveries.GetAsync(id);

        Assert.False(view.MayDeliver);
        await Assert.ThrowsAsync<AccessDeniedException>(() => deliveries.SaveTrackAsync(id, 0, new TrackObservation(Pleasure: 3)));
    }

    private async Task<(string Patient, Guid Approval)> ApprovedPlaylistAsync(PlaylistSeed? seed = null, bool consent = true, string unit = "Unit A")
    {
        var clinicianId = await SignedInScope.UserIdAsync(clinic.Factory, Clinician);
        var patient = await ClinicalSeed.AddPatientAsync(clinic.Services, clinicianId, unit, consent);
        var approval = await CareSeed.AddApprovedPlaylistAsync(clinic.Services, clinic.Engine, patient, clinicianId, ClinicianName, seed);
        return (patient, approval);
    }

    private async Task<Guid> StartedSessionAsync()
    {
        var (_, approval) = await ApprovedPlaylistAsync();
        var result = await AsCarerAsync(d => d.StartAsync(approval, Baseline));
        Assert.True(result.Started, result.Refusal);
        return result.DeliveryId!.Value;
    }

    private async Task<T> AsCarerAsync<T>(Func<DeliveryService, Task<T>> call)
    {
        await using var scope = await SignedInScope.ForAsync(clinic.Factory, Carer);
        return await call(scope.ServiceProvider.GetRequiredService<DeliveryService>());
    }

    private async Task<ClinicDbContext> DbAsync() =>
        await clinic.Services.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync();

    private async Task<int> TrackObservationCountAsync(Guid id)
    {
        await using var db = await DbAsync();
        return await db.DeliveryObservations.CountAsync(o => o.DeliveryId == id && o.Kind == ObservationKind.Track);
    }

    private static async Task<int> AlertCountAsync(PatientDirectory directory, string patient) =>
        (await directory.ListAsync(new PatientQuery(Search: patient))).Rows.Single(r => r.PatientId == patient).Alerts;
}
