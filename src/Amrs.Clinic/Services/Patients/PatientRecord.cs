using Amrs.Clinic.Security;
using Amrs.Core.Affect;
using Amrs.Core.Audit;
using Amrs.Core.Patients;
using Amrs.Core.Security;
using Amrs.Data;
using Amrs.Data.Audit;
using Amrs.Data.Clinical;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Clinic.Services.Patients;

/// <summary>One past session on the patient page: when, mode, and the mean affect observed (if any).</summary>
public sealed record SessionSummary(string SessionId, DateTimeOffset StartedAt, SessionMode Mode, SessionSource Source,
    int Tracks, AffectPoint Target, AffectPoint? ObservedAffect, double MeanEngagement);

public sealed record PatientDetails(Patient Patient, IReadOnlyList<SessionSummary> Sessions, bool MayTreat);

/// <summary>The patient page's data: profile, past sessions with observed affect. Viewing a record is audited.</summary>
public sealed class PatientRecord(CurrentUser currentUser, IDbContextFactory<ClinicDbContext> contexts, AuditLog audit, TimeProvider clock)
{
    public async Task<PatientDetails> GetAsync(string patientId, CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.ClinicalView);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.PatientId == patientId, cancellationToken);
        PatientAccess.RequireView(actor, patient, patientId);

        var sessions = await db.SessionLogs.AsNoTracking()
            .Where(s => s.PatientId == patientId)
            .OrderBy(s => s.StartedAt)
            .Select(s => new
            {
                s.SessionId, s.StartedAt, s.Mode, s.Source, s.TargetValence, s.TargetArousal,
                Tracks = s.Steps.Count,
                Engagement = s.Steps.Average(x => (double?)x.Engagement),
                Valence = s.Steps.Where(x => x.Valence != null).Average(x => x.Valence),
                Arousal = s.Steps.Where(x => x.Arousal != null).Average(x => x.Arousal),
            })
            .ToListAsync(cancellationToken);

        await audit.AppendAsync(new AuditDraft(clock.GetUtcNow(), actor.UserId, actor.FullName, actor.Role,
            AuditActions.PatientViewed, AuditEntityTypes.Patient, patientId, patientId, AuditOutcome.Success));

        return new PatientDetails(
            patient!.ToDomain(),
            sessions.Select(s => new SessionSummary(s.SessionId, s.StartedAt, s.Mode, s.Source, s.Tracks,
                new AffectPoint(s.TargetValence, s.TargetArousal),
                s.Valence is { } v && s.Arousal is { } a ? new AffectPoint(v, a) : null,
                s.Engagement ?? 0)).ToList(),
            PatientAccess.MayTreat(actor, patient!));
    }
}
