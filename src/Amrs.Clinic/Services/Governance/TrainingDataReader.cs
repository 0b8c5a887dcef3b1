using Amrs.Data;
using Amrs.Data.Clinical;
using Amrs.Engine.Bundles;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Clinic.Services.Governance;

/// <summary>
/// All logged data in the database, as a bundle learns from it: the catalog, the consenting patients and every
/// logged session of theirs (generated, imported, and delivered in the clinic with the observations care staff
/// recorded, see DeliveredSessionLog). A patient who withdrew consent is left out with all their sessions.
/// </summary>
public static class TrainingDataReader
{
    public static async Task<BundleTrainingData> ReadAsync(ClinicDbContext db, CancellationToken cancellationToken)
    {
        var tracks = (await db.Tracks.AsNoTracking().ToListAsync(cancellationToken)).Select(t => t.ToDomain()).ToArray();
        var patients = (await db.Patients.AsNoTracking().Where(p => p.Consent).ToListAsync(cancellationToken)).Select(p => p.ToDomain()).ToArray();
        var consenting = patients.Select(p => p.PatientId).ToHashSet(StringComparer.Ordinal);
        var logs = (await db.SessionLogs.AsNoTracking().Include(s => s.Steps).ToListAsync(cancellationToken))
            .Where(s => consenting.Contains(s.PatientId) && s.Steps.Count > 0)
            .ToList();
        var sessions = logs.Select(s => s.ToDomain()).ToArray();
        if (sessions.Length == 0)
            throw new BundleTrainingException("The database holds no logged sessions of consenting patients: import sessions or deliver some first.");
        var delivered = logs.Count(s => s.Source == SessionSource.Delivered);
        return new BundleTrainingData(tracks, patients, sessions,
            $"the clinic database ({patients.Length:N0} consenting patients, {sessions.Length:N0} sessions of which {delivered:N0} delivered, {tracks.Length:N0} tracks)");
    }
}
