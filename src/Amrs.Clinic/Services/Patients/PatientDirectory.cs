using Amrs.Clinic.Security;
using Amrs.Core.Affect;
using Amrs.Core.Ethics;
using Amrs.Core.Security;
using Amrs.Data;
using Amrs.Data.Delivery;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Clinic.Services.Patients;

/// <summary>One row of "My patients".</summary>
public sealed record PatientSummary(
    string PatientId,
    int BirthYear,
    string CognitiveStage,
    string? CareUnit,
    SessionMode? Mode,
    DateTimeOffset? LastSessionAt,
    IReadOnlyList<AffectPoint> AffectTrend,
    int AwaitingApproval,
    int Alerts);

public enum PatientSort
{
    PatientId,
    LastSession,
    Alerts,
}

public sealed record PatientQuery(string? Search = null, PatientSort Sort = PatientSort.Alerts, int Page = 0, int PageSize = 25);

public sealed record PatientPage(IReadOnlyList<PatientSummary> Rows, int Total);

/// <summary>
/// "My patients": the patients assigned to the signed-in clinician (an Admin sees all), with mode, last
/// session, a small trend of observed affect, playlists waiting for approval and alerts (sessions stopped for
/// distress and not yet acknowledged).
/// </summary>
public sealed class PatientDirectory(CurrentUser currentUser, IDbContextFactory<ClinicDbContext> contexts)
{
    private const int TrendSessions = 8;

    public async Task<PatientPage> ListAsync(PatientQuery query, CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.ClinicalView);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);

        var patients = db.Patients.AsNoTracking();
        if (!actor.Principal.IsInRole(Roles.Admin))
            patients = patients.Where(p => p.ClinicianUserId == actor.UserId);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var search = query.Search.Trim();
            patients = patients.Where(p => p.PatientId.Contains(search) || (p.CareUnit != null && p.CareUnit.Contains(search)));
        }

        var total = await patients.CountAsync(cancellationToken);
        var alertsByPatient = db.DeliverySessions.WithOpenAlert();
        var rows = await patients
            .Select(p => new
            {
                p.PatientId,
                p.BirthYear,
                p.CognitiveStage,
                p.CareUnit,
                LastSession = db.SessionLogs.Where(s => s.PatientId == p.PatientId).Max(s => (DateTimeOffset?)s.StartedAt),
                Alerts = alertsByPatient.Count(d => d.PatientId == p.PatientId),
            })
            .ToListAsync(cancellationToken);

        var ordered = query.Sort switch
        {
            PatientSort.LastSession => rows.OrderByDescending(r => r.LastSession).ThenBy(r => r.PatientId),
            PatientSort.Alerts => rows.OrderByDescending(r => r.Alerts).ThenByDescending(r => r.LastSession).ThenBy(r => r.PatientId),
            _ => rows.OrderBy(r => r.PatientId),
        };
        var page = ordered.Skip(query.Page * query.PageSize).Take(query.PageSize).ToList();
        var ids = page.Select(r => r.PatientId).ToList();

        var modes = await db.UtilityProfiles.AsNoTracking()
            .Where(p => ids.Contains(p.PatientId))
            .GroupBy(p => p.PatientId)
            .Select(g => g.OrderByDescending(p => p.Version).Select(p => new { p.PatientId, p.Mode }).First())
            .ToDictionaryAsync(x => x.PatientId, x => x.Mode, cancellationToken);
        var trends = await AffectTrendsAsync(db, ids, cancellationToken);
        var awaiting = await AwaitingApprovalAsync(db, ids, cancellationToken);

        return new PatientPage(
            page.Select(r => new PatientSummary(r.PatientId, r.BirthYear, r.CognitiveStage.ToString(), r.CareUnit,
                modes.TryGetValue(r.PatientId, out var mode) ? mode : null, r.LastSession,
                trends.GetValueOrDefault(r.PatientId, []), awaiting.GetValueOrDefault(r.PatientId), r.Alerts)).ToList(),
            total);
    }

    /// <summary>Mean observed affect of each of the last sessions that had observations, oldest first.</summary>
    private static async Task<Dictionary<string, IReadOnlyList<AffectPoint>>> AffectTrendsAsync(
        ClinicDbContext db, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var perSession = await db.SessionSteps.AsNoTracking()
            .Where(s => s.Valence != null && s.Arousal != null)
            .Join(db.SessionLogs.Where(l => ids.Contains(l.PatientId)), s => s.SessionId, l => l.SessionId,
                (s, l) => new { l.PatientId, l.SessionId, l.StartedAt, s.Valence, s.Arousal })
            .GroupBy(x => new { x.PatientId, x.SessionId, x.StartedAt })
            .Select(g => new { g.Key.PatientId, g.Key.StartedAt, Valence = g.Average(x => x.Valence!.Value), Arousal = g.Average(x => x.Arousal!.Value) })
            .ToListAsync(cancellationToken);
        return perSession
            .GroupBy(x => x.PatientId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<AffectPoint>)g.OrderBy(x => x.StartedAt).TakeLast(TrendSessions)
                .Select(x => new AffectPoint(x.Valence, x.Arousal)).ToList());
    }

    /// <summary>Previews newer than the patient's last decision (approval or rejection): lists waiting for a signature.</summary>
    private static async Task<Dictionary<string, int>> AwaitingApprovalAsync(ClinicDbContext db, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var lastDecision = await db.PlaylistApprovals.AsNoTracking()
            .Where(a => ids.Contains(a.PatientId) && (a.Status == ApprovalStatus.Approved || a.Status == ApprovalStatus.Rejected))
            .GroupBy(a => a.PatientId)
            .Select(g => new { PatientId = g.Key, At = g.Max(a => a.SignedAt) })
            .ToDictionaryAsync(x => x.PatientId, x => x.At, cancellationToken);
        var previews = await db.Previews.AsNoTracking()
            .Where(p => ids.Contains(p.PatientId))
            .GroupBy(p => p.PatientId)
            .Select(g => new { PatientId = g.Key, At = g.Max(p => p.CreatedAt) })
            .ToListAsync(cancellationToken);
        return previews
            .Where(p => !lastDecision.TryGetValue(p.PatientId, out var decided) || p.At > decided)
            .ToDictionary(p => p.PatientId, _ => 1);
    }
}
