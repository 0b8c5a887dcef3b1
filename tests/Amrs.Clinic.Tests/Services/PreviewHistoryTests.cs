using Amrs.Clinic.Services.Preview;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Affect;
using Amrs.Data;
using Amrs.Data.Clinical;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Services;

/// <summary>
/// The history a proposal was made from stays what it was: a session stored after the preview (one that was running
/// at the time and ended later, or older logs imported afterwards) never enters it, so decoding again at approval or at
/// session start sees the same inputs and a signed list stays reproducible.
/// </summary>
public sealed class PreviewHistoryTests(CareClinic clinic) : IClassFixture<CareClinic>
{
    [Fact]
    public async Task A_session_stored_after_the_preview_never_enters_its_history_even_if_it_started_before()
    {
        var patient = await ClinicalSeed.AddPatientAsync(clinic.Services, clinicianUserId: null, sessions: 2);
        var preview = DateTimeOffset.UtcNow.AddSeconds(1);
        await using var db = await clinic.Services.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync();
        db.SessionLogs.Add(new SessionLogEntity
        {
            SessionId = $"{patient}-late", PatientId = patient, StartedAt = preview.AddHours(-1), RecordedAt = preview.AddMinutes(30),
            Mode = SessionMode.Clinical, TargetValence = 0.7, TargetArousal = 0.3, Source = SessionSource.Delivered,
        });
        await db.SaveChangesAsync();

        var history = await CareContextLoader.HistoryBeforeAsync(db, patient, preview, CancellationToken.None);
        var later = await CareContextLoader.HistoryBeforeAsync(db, patient, preview.AddHours(1), CancellationToken.None);

        Assert.Equal([$"{patient}-S0", $"{patient}-S1"], history.Select(s => s.SessionId));
        Assert.Equal([$"{patient}-S0", $"{patient}-S1", $"{patient}-late"], later.Select(s => s.SessionId));
    }

    [Fact]
    public async Task Every_stored_session_gets_the_time_it_was_stored()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var patient = await ClinicalSeed.AddPatientAsync(clinic.Services, clinicianUserId: null, sessions: 0);
        await using var db = await clinic.Services.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync();
        db.SessionLogs.Add(new SessionLogEntity
        {
            SessionId = $"{patient}-new", PatientId = patient, StartedAt = before.AddHours(-1),
            Mode = SessionMode.Clinical, TargetValence = 0.7, TargetArousal = 0.3, Source = SessionSource.Imported,
        });
        await db.SaveChangesAsync();

        var stored = await db.SessionLogs.AsNoTracking().SingleAsync(s => s.PatientId == patient);

        Assert.InRange(stored.RecordedAt, before, DateTimeOffset.UtcNow.AddSeconds(1));
    }
}
