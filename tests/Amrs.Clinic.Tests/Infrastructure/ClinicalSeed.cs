using Amrs.Core.Affect;
using Amrs.Core.Patients;
using Amrs.Data;
using Amrs.Data.Clinical;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Infrastructure;

/// <summary>
/// A small, hand-made clinical world for service and page tests: a few tracks, patients and sessions. Shared with
/// the end-to-end tests (linked).
/// </summary>
public static class ClinicalSeed
{
    public static async Task<string> AddPatientAsync(IServiceProvider services, string? clinicianUserId, string careUnit = "Unit A",
        bool consent = true, double? maxArousal = null, int sessions = 2)
    {
        await using var scope = services.CreateAsyncScope();
        var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync();
        await EnsureTracksAsync(db);
        var id = $"P-{Guid.NewGuid().ToString("N")[..8]}";
        db.Patients.Add(PatientEntity.From(new Patient(id, 1942, CareSetting.Clinical, CognitiveStage.Moderate, ["jazz"], maxArousal,
            ["metal"], consent, 1960, clinicianUserId, careUnit)));
        for (var s = 0; s < sessions; s++)
        {
            var session = new SessionLogEntity
            {
                SessionId = $"{id}-S{s}",
                PatientId = id,
                StartedAt = new DateTimeOffset(2026, 10, 1 + s, 10, 0, 0, TimeSpan.Zero),
                RecordedAt = new DateTimeOffset(2026, 10, 1 + s, 11, 0, 0, TimeSpan.Zero), // stored when it ended, long before any preview
                Mode = SessionMode.Clinical,
                TargetValence = 0.7,
                TargetArousal = 0.3,
                Source = SessionSource.Imported,
            };
            for (var p = 0; p < 3; p++)
            {
                session.Steps.Add(new SessionStepEntity
                {
                    SessionId = session.SessionId, Position = p, TrackId = $"T-{p + 1}", Engagement = 0.5 + 0.1 * p,
                    Valence = p == 0 ? null : 0.4 + 0.1 * s, Arousal = p == 0 ? null : 0.6 - 0.1 * s,
                });
            }
            db.SessionLogs.Add(session);
        }
        await db.SaveChangesAsync();
        return id;
    }

    private static async Task EnsureTracksAsync(ClinicDbContext db)
    {
        if (await db.Tracks.AnyAsync()) return;
        string[] genres = ["jazz", "classical", "pop", "metal", "folk"];
        for (var i = 1; i <= 20; i++)
        {
            db.Tracks.Add(new TrackEntity
            {
                TrackId = $"T-{i}", Title = $"Song {i}", Artist = $"Artist {i % 7}", Valence = (i % 10) / 10.0 + 0.05,
                Arousal = (i * 7 % 10) / 10.0 + 0.05, Year = 1950 + i, Genre = genres[i % genres.Length],
                DurationSeconds = 120 + 10 * i,
            });
        }
        await db.SaveChangesAsync();
    }
}
