using Amrs.Clinic.Services.Engine;
using Amrs.Core.Catalog;
using Amrs.Data;
using Amrs.Data.Care;
using Amrs.Data.Clinical;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Clinic.Services.Preview;

/// <summary>Everything a proposal is made from, read from the database in one place so every caller uses the same inputs.</summary>
public sealed record LoadedCareContext(PatientEntity Patient, UtilityProfileEntity? Profile, CareContext Context);

internal static class CareContextLoader
{
    /// <summary>
    /// The patient, their logged history (sessions that started before <paramref name="historyBefore"/>, so a
    /// re-decode later sees exactly the inputs of the original proposal), and a profile version (the latest when
    /// <paramref name="profileVersion"/> is null).
    /// </summary>
    public static async Task<LoadedCareContext?> LoadAsync(ClinicDbContext db, string patientId, int? profileVersion,
        DateTimeOffset historyBefore, CancellationToken cancellationToken)
    {
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.PatientId == patientId, cancellationToken);
        if (patient is null) return null;
        var profiles = db.UtilityProfiles.AsNoTracking().Where(p => p.PatientId == patientId);
        var profile = profileVersion is { } version
            ? await profiles.FirstOrDefaultAsync(p => p.Version == version, cancellationToken)
            : await profiles.OrderByDescending(p => p.Version).FirstOrDefaultAsync(cancellationToken);
        var history = await HistoryBeforeAsync(db, patientId, historyBefore, cancellationToken);
        var domainPatient = patient.ToDomain();
        var domainProfile = profile?.ToDomain() ?? Core.Utility.UtilityProfile.DefaultFor(domainPatient);
        return new LoadedCareContext(patient, profile, new CareContext(domainPatient, history, domainProfile));
    }

    /// <summary>The version of the patient's goals now (their latest utility profile), or null if none was ever saved.</summary>
    public static Task<int?> CurrentProfileVersionAsync(ClinicDbContext db, string patientId, CancellationToken cancellationToken) =>
        db.UtilityProfiles.AsNoTracking().Where(p => p.PatientId == patientId).MaxAsync(p => (int?)p.Version, cancellationToken);

    /// <summary>
    /// The patient's logged sessions that started and were stored before <paramref name="before"/>, oldest first: the
    /// one definition of "the history a proposal was made from", used by previews, approvals and session starts alike.
    /// A session stored later (one running when the preview was made, older logs imported afterwards) never enters it,
    /// so decoding again at approval or start still sees the preview's inputs.
    /// </summary>
    public static async Task<IReadOnlyList<Core.Sessions.LoggedSession>> HistoryBeforeAsync(
        ClinicDbContext db, string patientId, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var sessions = await db.SessionLogs.AsNoTracking()
            .Include(s => s.Steps)
            .Where(s => s.PatientId == patientId && s.StartedAt < before && s.RecordedAt < before)
            .OrderBy(s => s.StartedAt)
            .ToListAsync(cancellationToken);
        return sessions.Select(s => s.ToDomain()).ToList();
    }

    public static async Task<Dictionary<string, Track>> TracksAsync(ClinicDbContext db, IEnumerable<string> trackIds, CancellationToken cancellationToken)
    {
        var ids = trackIds.Distinct().ToList();
        var tracks = await db.Tracks.AsNoTracking().Where(t => ids.Contains(t.TrackId)).ToListAsync(cancellationToken);
        return tracks.ToDictionary(t => t.TrackId, t => t.ToDomain());
    }
}
