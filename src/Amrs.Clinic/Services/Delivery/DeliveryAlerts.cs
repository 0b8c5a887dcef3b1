using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Patients;
using Amrs.Core.Audit;
using Amrs.Core.Security;
using Amrs.Data;
using Amrs.Data.Audit;
using Amrs.Data.Delivery;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Clinic.Services.Delivery;

/// <summary>
/// The clinician's side of a stop for distress: the open alerts of a patient (sessions stopped at once and not
/// yet acknowledged) and their acknowledgement by the responsible clinician, audited with the change.
/// </summary>
public sealed class DeliveryAlerts(CurrentUser currentUser, IDbContextFactory<ClinicDbContext> contexts, AuditLog audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<DeliveryAlert>> OpenAsync(string patientId, CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.ClinicalView);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.PatientId == patientId, cancellationToken);
        PatientAccess.RequireView(actor, patient, patientId);

        var stopped = await db.DeliverySessions.AsNoTracking()
            .WithOpenAlert().Where(d => d.PatientId == patientId)
            .Join(db.PlaylistApprovals, d => d.ApprovalId, a => a.Id, (d, a) => new { Delivery = d, a.TrackIds })
            .ToListAsync(cancellationToken);
        var trackIds = stopped.SelectMany(s => s.TrackIds).Distinct().ToList();
        var titles = await db.Tracks.AsNoTracking().Where(t => trackIds.Contains(t.TrackId))
            .ToDictionaryAsync(t => t.TrackId, t => t.Title, cancellationToken);
        return stopped
            .OrderByDescending(s => s.Delivery.EndedAt)
            .Select(s =>
            {
                var position = Math.Min(s.Delivery.CurrentPosition, s.TrackIds.Count - 1);
                var trackId = s.TrackIds.ElementAtOrDefault(position);
                return new DeliveryAlert(s.Delivery.Id, patientId, s.Delivery.EndedAt ?? s.Delivery.StartedAt, s.Delivery.StartedByName,
                    s.Delivery.StopReason ?? "(no reason given)", position, trackId is null ? null : titles.GetValueOrDefault(trackId, trackId));
            })
            .ToList();
    }

    /// <summary>The responsible clinician acknowledges an alert; it stays in the record, no longer open.</summary>
    public async Task<string?> AcknowledgeAsync(Guid deliveryId, CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.ClinicalWork);
        var (_, error) = await audit.RecordAsync<string?>(async db =>
        {
            var delivery = await db.DeliverySessions.FirstOrDefaultAsync(d => d.Id == deliveryId, cancellationToken)
                ?? throw new DeliveryNotFoundException(deliveryId);
            var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.PatientId == delivery.PatientId, cancellationToken);
            PatientAccess.RequireTreat(actor, patient, delivery.PatientId);
            if (delivery.Status != DeliveryStatus.Stopped) return ([], "This session was not stopped: there is no alert to acknowledge.");
            if (delivery.AlertAcknowledgedAt is not null) return ([], "This alert has already been acknowledged.");

            var now = clock.GetUtcNow();
            delivery.AlertAcknowledgedAt = now;
            delivery.AlertAcknowledgedByUserId = actor.UserId;
            delivery.Revision++;
            var draft = new AuditDraft(now, actor.UserId, actor.FullName, actor.Role, AuditActions.AlertAcknowledged,
                AuditEntityTypes.Session, delivery.Id.ToString(), delivery.PatientId, AuditOutcome.Success,
                AuditDetails.Of(new { reason = delivery.StopReason, stoppedAt = delivery.EndedAt }));
            return ([draft], null);
        }, cancellationToken);
        return error;
    }
}
