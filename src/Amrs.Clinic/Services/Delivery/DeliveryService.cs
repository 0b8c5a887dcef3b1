using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Patients;
using Amrs.Core.Affect;
using Amrs.Core.Audit;
using Amrs.Core.Ethics;
using Amrs.Core.Security;
using Amrs.Data;
using Amrs.Data.Audit;
using Amrs.Data.Care;
using Amrs.Data.Clinical;
using Amrs.Data.Delivery;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Clinic.Services.Delivery;

/// <summary>
/// Care staff deliver approved playlists: today's list, starting a session (only when the ethics guard allows,
/// every decision audited), recording observed affect track by track as it is entered (each save a new version),
/// moving through the approved list, stopping at once for distress (an alert for the clinician), and completing
/// (the session becomes training data). Every method checks the policy on the server and that the patient is in
/// the caller's care unit; each change is written with its audit entries in one transaction.
/// </summary>
public sealed class DeliveryService(
    CurrentUser currentUser,
    IDbContextFactory<ClinicDbContext> contexts,
    AuditLog audit,
    SessionStartFacts startFacts,
    TimeProvider clock)
{
    public const int MaxStopReasonLength = 2000;
    private const int StopAttempts = 5;

    /// <summary>Approved playlists scheduled for today, still valid and not withdrawn, plus any session running now, for my patients.</summary>
    public async Task<IReadOnlyList<TodayItem>> TodayAsync(CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.CareView);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var (dayStart, dayEnd) = ClinicDay.Bounds(now, clock.LocalTimeZone);

        var unit = actor.Principal.IsInRole(Roles.CareStaff) ? actor.CareUnit : null;
        var clinicianId = actor.Principal.IsInRole(Roles.Clinician) ? actor.UserId : null;
        var patients = db.Patients.Where(p => (unit != null && p.CareUnit == unit) || (clinicianId != null && p.ClinicianUserId == clinicianId));
        var running = db.DeliverySessions.Where(d => d.Status == DeliveryStatus.Running);
        var withdrawn = db.ApprovalRevocations;

        var approvals = await db.PlaylistApprovals.AsNoTracking()
            .Where(a => patients.Any(p => p.PatientId == a.PatientId))
            .Where(a => running.Any(d => d.ApprovalId == a.Id)
                || (a.Status == ApprovalStatus.Approved && !withdrawn.Any(r => r.ApprovalId == a.Id)
                    && a.ScheduledFor >= dayStart && a.ScheduledFor < dayEnd && a.ValidUntil > now))
            .ToListAsync(cancellationToken);
        var ids = approvals.Select(a => a.Id).ToList();
        var deliveries = await db.DeliverySessions.AsNoTracking()
            .Where(d => ids.Contains(d.ApprovalId))
            .Select(d => new { d.Id, d.ApprovalId, d.Status, d.StartedAt })
            .ToListAsync(cancellationToken);
        var patientIds = approvals.Select(a => a.PatientId).Distinct().ToList();
        var units = await patients.Where(p => patientIds.Contains(p.PatientId))
            .ToDictionaryAsync(p => p.PatientId, p => p.CareUnit, cancellationToken);
        // The guard refuses any start for these until the clinician has looked at the stop (no-open-distress-alert).
        var awaitingReview = (await db.DeliverySessions.AsNoTracking().WithOpenAlert()
            .Where(d => patientIds.Contains(d.PatientId)).Select(d => d.PatientId).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);

        return approvals
            .OrderBy(a => a.ScheduledFor).ThenBy(a => a.PatientId)
            .Select(a =>
            {
                var mine = deliveries.Where(d => d.ApprovalId == a.Id).OrderByDescending(d => d.StartedAt).ToList();
                return new TodayItem(a.Id, a.PatientId, units.GetValueOrDefault(a.PatientId), a.Mode,
                    a.TargetValence is { } v && a.TargetArousal is { } r ? new AffectPoint(v, r) : null,
                    a.ScheduledFor, a.ValidUntil, a.SignerPrintedName, a.Notes, a.TrackIds.Count,
                    mine.FirstOrDefault(d => d.Status == DeliveryStatus.Running)?.Id,
                    mine.FirstOrDefault()?.Status,
                    awaitingReview.Contains(a.PatientId));
            })
            .ToList();
    }

    /// <summary>
    /// Starts a session from an approved playlist with the affect observed before the music. The ethics guard
    /// decides; its decision is audited either way. Refused: a clear message and nothing else written. Allowed:
    /// the running session, the baseline observation and the audit entries in one transaction.
    /// </summary>
    public async Task<StartResult> StartAsync(Guid approvalId, AffectPoint baseline, CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.CareDelivery);
        var baselineErrors = BaselineErrors(baseline);
        if (baselineErrors.Count > 0) return StartResult.Refused(string.Join(" ", baselineErrors));

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var approval = await db.PlaylistApprovals.AsNoTracking().FirstOrDefaultAsync(a => a.Id == approvalId, cancellationToken);
        if (approval is null) return StartResult.Refused($"There is no playlist approval {approvalId}.");
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.PatientId == approval.PatientId, cancellationToken);
        PatientAccess.RequireDeliver(actor, patient, approval.PatientId);
        if (await RunningSessionAsync(db, approvalId, cancellationToken) is { } running)
            return AlreadyRunning(running);

        var now = clock.GetUtcNow();
        var request = await startFacts.GatherAsync(db, approval, patient!, now, cancellationToken);
        var decision = EthicsGuard.CanStartSession(request);
        var decisionDraft = Draft(actor, now, decision.AuditAction, AuditEntityTypes.Approval, approval.Id.ToString(), patient!.PatientId,
            decision.AuditOutcome, decision.ToAuditDetails(GuardChecks.StartSession));
        if (!decision.Allowed)
        {
            await audit.AppendAsync([decisionDraft], cancellationToken);
            return StartResult.Refused($"This session may not start: {decision.Reason}", decision.Rule);
        }

        try
        {
            var (_, result) = await audit.RecordAsync(async change =>
            {
                // Another device may have started the same playlist since the first look: then only the decision is recorded.
                if (await RunningSessionAsync(change, approvalId, cancellationToken) is { } other)
                    return ((IReadOnlyList<AuditDraft>)[decisionDraft], AlreadyRunning(other));

                var delivery = NewDelivery(approval, actor, now, baseline);
                change.DeliverySessions.Add(delivery);
                var started = Draft(actor, now, AuditActions.SessionStarted, AuditEntityTypes.Session, delivery.Id.ToString(), approval.PatientId,
                    AuditOutcome.Success, AuditDetails.Of(new
                    {
                        approvalId = approval.Id,
                        mode = approval.Mode.ToString(),
                        tracks = approval.TrackIds.Count,
                        baseline = new { baseline.Valence, baseline.Arousal },
                    }));
                return ((IReadOnlyList<AuditDraft>)[decisionDraft, started], new StartResult(delivery.Id, null, decision.Rule));
            }, cancellationToken);
            return result;
        }
        catch (DbUpdateException)
        {
            // The unique index (one running session per approval) is the final guard; the decision is still recorded.
            if (await RunningSessionAsync(db, approvalId, cancellationToken) is not { } winner) throw;
            await audit.AppendAsync([decisionDraft], cancellationToken);
            return AlreadyRunning(winner);
        }
    }

    /// <summary>The session as stored, with the latest version of each observation (what a reopened page shows).</summary>
    public async Task<DeliveryView> GetAsync(Guid deliveryId, CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.CareView);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var delivery = await db.DeliverySessions.AsNoTracking().Include(d => d.Observations)
            .FirstOrDefaultAsync(d => d.Id == deliveryId, cancellationToken) ?? throw new DeliveryNotFoundException(deliveryId);
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.PatientId == delivery.PatientId, cancellationToken);
        PatientAccess.RequireView(actor, patient, delivery.PatientId);
        return await ViewAsync(db, delivery, PatientAccess.MayDeliver(actor, patient!), cancellationToken);
    }

    /// <summary>
    /// Saves what was observed for the track at <paramref name="position"/> as a new version (corrections never
    /// overwrite). Only tracks of the approved list that have been reached can be annotated; values out of range
    /// are refused with a message naming the field, and nothing is saved.
    /// </summary>
    public async Task<SaveResult> SaveTrackAsync(Guid deliveryId, int position, TrackObservation observation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var actor = await currentUser.RequireAsync(Policies.CareDelivery);
        var errors = observation.Validate();
        if (errors.Count > 0) return new SaveResult(null, errors);

        try
        {
            var (_, result) = await audit.RecordAsync(async db =>
            {
                var (delivery, approval) = await LoadForChangeAsync(db, actor, deliveryId, cancellationToken, tracked: true);
                if (delivery.Status != DeliveryStatus.Running)
                    return (NoDrafts, SaveResult.Refused($"This session is {delivery.Status.ToString().ToLowerInvariant()}: nothing more can be recorded."));
                if (PositionError(position, delivery, approval) is { } positionError)
                    return (NoDrafts, SaveResult.Refused(positionError));

                var now = clock.GetUtcNow();
                var entity = await NewVersionAsync(db, delivery.Id, ObservationKind.Track, position, actor, now, cancellationToken);
                observation.CopyTo(entity);
                db.DeliveryObservations.Add(entity);
                // The session's revision is written back unchanged, so the save holds only if no stop, completion or
                // move committed since it was read (on SQL Server a stop can interleave; SQLite serialises writers).
                db.Entry(delivery).Property(d => d.Revision).IsModified = true;
                return (Annotated(actor, now, delivery, entity, approval.TrackIds[position]), new SaveResult(entity.Version, []));
            }, cancellationToken);
            return result;
        }
        catch (DbUpdateConcurrencyException)
        {
            return SaveResult.Refused("The session was stopped, finished or moved on another device just now; nothing was saved. Look at it again and save once more.");
        }
    }

    /// <summary>Records the current track as skipped (a new version of its observation) and moves to the next.</summary>
    public Task<MoveResult> SkipAsync(Guid deliveryId, int expectedRevision, CancellationToken cancellationToken = default) =>
        MoveAsync(deliveryId, expectedRevision, skip: true, cancellationToken);

    /// <summary>Moves to the next track of the approved list. Two devices cannot both move one session (the revision).</summary>
    public Task<MoveResult> AdvanceAsync(Guid deliveryId, int expectedRevision, CancellationToken cancellationToken = default) =>
        MoveAsync(deliveryId, expectedRevision, skip: false, cancellationToken);

    /// <summary>
    /// Ends the session at once for distress, agitation or an adverse reaction: stopped, what happened recorded,
    /// audited as stopped and as an adverse event, and an open alert for the patient's clinician. Stopping never
    /// waits on another device: it retries on the session as it stands.
    /// </summary>
    public async Task<EndResult> StopNowAsync(Guid deliveryId, string reason, CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.CareDelivery);
        if (string.IsNullOrWhiteSpace(reason)) return new EndResult(null, "Reason: say what happened (it goes to the clinician).");
        if (reason.Length > MaxStopReasonLength) return new EndResult(null, $"Reason: at most {MaxStopReasonLength:N0} characters.");
        reason = reason.Trim();

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await EndAsync(deliveryId, actor, DeliveryStatus.Stopped, reason, cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < StopAttempts)
            {
                // Someone moved the session on at the same moment: stop it as it now stands.
            }
        }
    }

    /// <summary>Completes the session: a summary, and the delivered session becomes training data, in one transaction.</summary>
    public async Task<EndResult> CompleteAsync(Guid deliveryId, string? closingNote = null, CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.CareDelivery);
        if (closingNote is { Length: > TrackObservation.MaxNoteLength })
            return new EndResult(null, $"Closing note: at most {TrackObservation.MaxNoteLength:N0} characters.");
        try
        {
            return await EndAsync(deliveryId, actor, DeliveryStatus.Completed, closingNote, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new EndResult(null, "The session changed on another device just now; look at it again and finish once more.");
        }
    }

    private async Task<MoveResult> MoveAsync(Guid deliveryId, int expectedRevision, bool skip, CancellationToken cancellationToken)
    {
        var actor = await currentUser.RequireAsync(Policies.CareDelivery);
        string? error;
        try
        {
            (_, error) = await audit.RecordAsync<string?>(async db =>
            {
                var (delivery, approval) = await LoadForChangeAsync(db, actor, deliveryId, cancellationToken, tracked: true);
                if (delivery.Status != DeliveryStatus.Running)
                    return (NoDrafts, $"This session is {delivery.Status.ToString().ToLowerInvariant()}.");
                if (delivery.Revision != expectedRevision)
                    return (NoDrafts, StaleMessage);
                if (delivery.CurrentPosition >= approval.TrackIds.Count)
                    return (NoDrafts, "Every track of the approved list has been played; finish the session.");

                var now = clock.GetUtcNow();
                var drafts = NoDrafts;
                if (skip)
                {
                    var position = delivery.CurrentPosition;
                    var latest = await LatestAsync(db, delivery.Id, ObservationKind.Track, position, cancellationToken);
                    var entity = await NewVersionAsync(db, delivery.Id, ObservationKind.Track, position, actor, now, cancellationToken);
                    var skipped = (latest is null ? TrackObservation.Empty : TrackObservation.From(latest))
                        with { Engagement = TrackEngagement.Skipped, ListenedFraction = null };
                    skipped.CopyTo(entity);
                    db.DeliveryObservations.Add(entity);
                    drafts = Annotated(actor, now, delivery, entity, approval.TrackIds[position]);
                }
                delivery.CurrentPosition++;
                delivery.Revision++;
                return (drafts, (string?)null);
            }, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            error = StaleMessage;
        }
        return new MoveResult(await GetAsync(deliveryId, cancellationToken), error);
    }

    private async Task<EndResult> EndAsync(Guid deliveryId, Actor actor, DeliveryStatus outcome, string? note, CancellationToken cancellationToken)
    {
        var (_, result) = await audit.RecordAsync(async db =>
        {
            // Whoever started a session can always stop it, even if the patient moved to another care unit meanwhile.
            var (delivery, approval) = await LoadForChangeAsync(db, actor, deliveryId, cancellationToken, tracked: true,
                starterMayAct: outcome == DeliveryStatus.Stopped);
            if (delivery.Status != DeliveryStatus.Running)
                return (NoDrafts, new EndResult(null, $"This session has already ended ({delivery.Status.ToString().ToLowerInvariant()})."));

            var now = clock.GetUtcNow();
            var observations = await db.DeliveryObservations.AsNoTracking().Where(o => o.DeliveryId == delivery.Id).ToListAsync(cancellationToken);
            var closing = await NewVersionAsync(db, delivery.Id, outcome == DeliveryStatus.Stopped ? ObservationKind.Stop : ObservationKind.Summary,
                Math.Min(delivery.CurrentPosition, approval.TrackIds.Count - 1), actor, now, cancellationToken);
            closing.Note = string.IsNullOrWhiteSpace(note) ? null : note;
            db.DeliveryObservations.Add(closing);

            delivery.Status = outcome;
            delivery.EndedAt = now;
            delivery.Revision++;
            if (outcome == DeliveryStatus.Stopped) delivery.StopReason = note;

            // The delivered session becomes training data, stopped ones included: what led to distress matters most.
            var log = DeliveredSessionLog.Build(delivery, approval, observations);
            db.SessionLogs.Add(log);
            var summary = Summarise(delivery, log, observations);
            var details = new
            {
                sessionLogId = log.SessionId,
                approvalId = approval.Id,
                tracksReached = Math.Min(delivery.CurrentPosition + (outcome == DeliveryStatus.Stopped ? 1 : 0), approval.TrackIds.Count),
                stepsLogged = log.Steps.Count,
                summary.MeanEngagement,
                reason = note,
            };
            IReadOnlyList<AuditDraft> drafts = outcome == DeliveryStatus.Stopped
                ?
                [
                    Draft(actor, now, AuditActions.SessionStopped, AuditEntityTypes.Session, delivery.Id.ToString(), delivery.PatientId, AuditOutcome.Success, AuditDetails.Of(details)),
                    Draft(actor, now, AuditActions.AdverseEvent, AuditEntityTypes.Session, delivery.Id.ToString(), delivery.PatientId, AuditOutcome.Success,
                        AuditDetails.Of(new { reason = note, position = closing.Position, trackId = approval.TrackIds.ElementAtOrDefault(closing.Position), alert = "open" })),
                ]
                : [Draft(actor, now, AuditActions.SessionCompleted, AuditEntityTypes.Session, delivery.Id.ToString(), delivery.PatientId, AuditOutcome.Success, AuditDetails.Of(details))];
            return (drafts, new EndResult(summary, null));
        }, cancellationToken);
        return result;
    }

    private static CompletionSummary Summarise(DeliverySessionEntity delivery, SessionLogEntity log, IReadOnlyList<DeliveryObservationEntity> observations)
    {
        var latest = DeliveredSessionLog.LatestTrackObservations(observations).Values.ToList();
        int Count(TrackEngagement e) => latest.Count(o => o.Engagement == e);
        var baseline = observations.Where(o => o.Kind == ObservationKind.Baseline).MaxBy(o => o.Version);
        var last = latest.Where(o => o.Valence is not null && o.Arousal is not null).MaxBy(o => o.Position);
        return new CompletionSummary(
            delivery.Id, log.SessionId, log.Steps.Count,
            Count(TrackEngagement.Full), Count(TrackEngagement.Partial), Count(TrackEngagement.Refused), Count(TrackEngagement.Skipped),
            log.Steps.Count == 0 ? 0 : log.Steps.Average(s => s.Engagement),
            Point(baseline), Point(last));
    }

    private async Task<(DeliverySessionEntity Delivery, PlaylistApprovalEntity Approval)> LoadForChangeAsync(
        ClinicDbContext db, Actor actor, Guid deliveryId, CancellationToken cancellationToken, bool tracked = false, bool starterMayAct = false)
    {
        var sessions = tracked ? db.DeliverySessions : db.DeliverySessions.AsNoTracking();
        var delivery = await sessions.FirstOrDefaultAsync(d => d.Id == deliveryId, cancellationToken) ?? throw new DeliveryNotFoundException(deliveryId);
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.PatientId == delivery.PatientId, cancellationToken);
        if (!(starterMayAct && patient is not null && delivery.StartedByUserId == actor.UserId))
            PatientAccess.RequireDeliver(actor, patient, delivery.PatientId);
        var approval = await db.PlaylistApprovals.AsNoTracking().FirstAsync(a => a.Id == delivery.ApprovalId, cancellationToken);
        return (delivery, approval);
    }

    private static string? PositionError(int position, DeliverySessionEntity delivery, PlaylistApprovalEntity approval)
    {
        if (position < 0 || position >= approval.TrackIds.Count)
            return $"Track: position {position + 1} is not in the approved list of {approval.TrackIds.Count} tracks; only the approved tracks can be played.";
        return position > delivery.CurrentPosition
            ? $"Track: position {position + 1} has not been played yet (now playing {delivery.CurrentPosition + 1})."
            : null;
    }

    private async Task<DeliveryView> ViewAsync(ClinicDbContext db, DeliverySessionEntity delivery, bool mayDeliver, CancellationToken cancellationToken)
    {
        var approval = await db.PlaylistApprovals.AsNoTracking().FirstAsync(a => a.Id == delivery.ApprovalId, cancellationToken);
        var catalog = await db.Tracks.AsNoTracking().Where(t => approval.TrackIds.Contains(t.TrackId))
            .ToDictionaryAsync(t => t.TrackId, cancellationToken);
        var tracks = approval.TrackIds.Select((id, i) => catalog.TryGetValue(id, out var t)
            ? new DeliveryTrack(i, id, t.Title, t.Artist, t.DurationSeconds)
            : new DeliveryTrack(i, id, id, "unknown artist", null)).ToList();
        var latest = DeliveredSessionLog.LatestTrackObservations(delivery.Observations)
            .ToDictionary(p => p.Key, p => new RecordedObservation(TrackObservation.From(p.Value), p.Value.Version, p.Value.RecordedAt, p.Value.RecordedByName));
        var baseline = delivery.Observations.Where(o => o.Kind == ObservationKind.Baseline).MaxBy(o => o.Version);
        return new DeliveryView(delivery.Id, approval.Id, delivery.PatientId, approval.Mode, approval.Notes, delivery.Status,
            delivery.CurrentPosition, delivery.Revision, delivery.StartedAt, delivery.EndedAt, delivery.StartedByName, Point(baseline),
            tracks, latest, delivery.StopReason, mayDeliver && delivery.Status == DeliveryStatus.Running);
    }

    private static async Task<Guid?> RunningSessionAsync(ClinicDbContext db, Guid approvalId, CancellationToken cancellationToken) =>
        await db.DeliverySessions.AsNoTracking()
            .Where(d => d.ApprovalId == approvalId && d.Status == DeliveryStatus.Running)
            .Select(d => (Guid?)d.Id)
            .FirstOrDefaultAsync(cancellationToken);

    private static StartResult AlreadyRunning(Guid deliveryId) =>
        new(null, "A session from this playlist is already running: resume it instead of starting another.") { RunningDeliveryId = deliveryId };

    private static DeliverySessionEntity NewDelivery(PlaylistApprovalEntity approval, Actor actor, DateTimeOffset now, AffectPoint baseline)
    {
        var id = Guid.NewGuid();
        var delivery = new DeliverySessionEntity
        {
            Id = id,
            ApprovalId = approval.Id,
            PatientId = approval.PatientId,
            Status = DeliveryStatus.Running,
            StartedAt = now,
            StartedByUserId = actor.UserId,
            StartedByName = actor.FullName,
        };
        delivery.Observations.Add(new DeliveryObservationEntity
        {
            DeliveryId = id,
            Kind = ObservationKind.Baseline,
            Version = 1,
            RecordedAt = now,
            RecordedByUserId = actor.UserId,
            RecordedByName = actor.FullName,
            Valence = baseline.Valence,
            Arousal = baseline.Arousal,
        });
        return delivery;
    }

    private static async Task<DeliveryObservationEntity?> LatestAsync(ClinicDbContext db, Guid deliveryId, ObservationKind kind, int position, CancellationToken cancellationToken) =>
        await db.DeliveryObservations.AsNoTracking()
            .Where(o => o.DeliveryId == deliveryId && o.Kind == kind && o.Position == position)
            .OrderByDescending(o => o.Version)
            .FirstOrDefaultAsync(cancellationToken);

    private static async Task<DeliveryObservationEntity> NewVersionAsync(
        ClinicDbContext db, Guid deliveryId, ObservationKind kind, int position, Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var last = await db.DeliveryObservations
            .Where(o => o.DeliveryId == deliveryId && o.Kind == kind && o.Position == position)
            .MaxAsync(o => (int?)o.Version, cancellationToken) ?? 0;
        return new DeliveryObservationEntity
        {
            DeliveryId = deliveryId,
            Kind = kind,
            Position = position,
            Version = last + 1,
            RecordedAt = now,
            RecordedByUserId = actor.UserId,
            RecordedByName = actor.FullName,
        };
    }

    private static IReadOnlyList<AuditDraft> Annotated(Actor actor, DateTimeOffset now, DeliverySessionEntity delivery, DeliveryObservationEntity entity, string trackId) =>
    [
        Draft(actor, now, AuditActions.Annotation, AuditEntityTypes.Observation, $"{delivery.Id}/{entity.Kind}/{entity.Position}/v{entity.Version}",
            delivery.PatientId, AuditOutcome.Success, AuditDetails.Of(new
            {
                deliveryId = delivery.Id,
                position = entity.Position,
                trackId,
                version = entity.Version,
                entity.Valence, entity.Arousal, entity.Pleasure, entity.Anger, entity.AnxietyFear, entity.Sadness, entity.Alertness,
                engagement = entity.Engagement?.ToString(), entity.ListenedFraction, entity.Rating, entity.Note,
            })),
    ];

    private static AuditDraft Draft(Actor actor, DateTimeOffset now, string action, string entityType, string entityId, string patientId,
        AuditOutcome outcome, string details) =>
        new(now, actor.UserId, actor.FullName, actor.Role, action, entityType, entityId, patientId, outcome, details);

    private static List<string> BaselineErrors(AffectPoint baseline)
    {
        var errors = new List<string>();
        if (!(baseline.Valence is >= 0 and <= 1)) errors.Add("Baseline valence: must be between 0 and 1.");
        if (!(baseline.Arousal is >= 0 and <= 1)) errors.Add("Baseline arousal: must be between 0 and 1.");
        return errors;
    }

    private static AffectPoint? Point(DeliveryObservationEntity? o) =>
        o is { Valence: { } v, Arousal: { } a } ? new AffectPoint(v, a) : null;

    private static IReadOnlyList<AuditDraft> NoDrafts => [];

    private const string StaleMessage = "The session moved on, probably on another device; this is where it stands now.";
}

/// <summary>No delivered session has that id.</summary>
public sealed class DeliveryNotFoundException(Guid deliveryId) : Exception($"There is no session {deliveryId}.")
{
    public Guid DeliveryId { get; } = deliveryId;
}
