using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Security;
using Amrs.Data.Seeding;
using Amrs.E2E.Infrastructure;
using Amrs.E2E.PageObjects;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Amrs.E2E.Care;

/// <summary>Care delivery on a tablet (768 x 1024): start, annotate, stop now; the clinician sees the alert.</summary>
[Collection(ClinicCollection.Name)]
public sealed class CareDeliveryTests(ClinicServer clinic)
{
    [Fact]
    public async Task Care_staff_annotate_three_tracks_and_stop_now_and_the_clinician_sees_the_alert()
    {
        var clinician = DemoAccounts.For(Roles.Clinician);
        var clinicianId = await clinic.UserIdAsync(clinician.UserName);
        var patient = await ClinicalSeed.AddPatientAsync(clinic.Services, clinicianId);
        await CareSeed.AddApprovedPlaylistAsync(clinic.Services, clinic.CareEngine, patient, clinicianId, clinician.FullName);

        var page = await clinic.NewPageAsync(width: 768, height: 1024);
        var shell = new ClinicShell(page);
        await new SignInPage(page).OpenAsync();
        await new SignInPage(page).SignInAsync(DemoAccounts.For(Roles.CareStaff).UserName, ClinicServer.DemoPassword);

        var today = new TodayPage(page);
        await today.OpenAsync();
        await shell.WaitForInteractiveAsync();
        await Expect(shell.Heading).ToHaveTextAsync("Today's sessions");
        await Expect(today.Card(patient)).ToContainTextAsync("Calm voice; she likes to hold the tablet.");
        await page.AssertNoSeriousFindingsAsync("today's sessions");
        await ScreenshotAsync(page, "care-today");

        await today.StartAsync(patient, valence: 0.3, arousal: 0.8);
        var session = new CareSessionPage(page);
        await shell.WaitForInteractiveAsync();
        await Expect(session.Progress).ToHaveTextAsync("Track 1 of 5");
        await Expect(session.NowPlaying).ToContainTextAsync("Song 1");
        await page.AssertNoSeriousFindingsAsync("a running session");
        await ScreenshotAsync(page, "care-session");

        await session.TapAffectAsync(valence: 0.5, arousal: 0.6);
        await session.ScoreAsync("Pleasure", "1–5 min");
        await session.EngagementAsync("Listened fully");
        await session.NextAsync(expectedTrackNumber: 2);

        await session.TypeAffectAsync(valence: 0.65, arousal: 0.45);
        await session.ScoreAsync("Anxiety / fear", "never");
        await session.EngagementAsync("Listened fully");
        await session.NextAsync(expectedTrackNumber: 3);

        await session.TapAffectAsync(valence: 0.2, arousal: 0.9);
        await session.ScoreAsync("Anxiety / fear", "over 5 min");
        await session.EngagementAsync("Refused");
        await Expect(session.NextButton).ToBeEnabledAsync();
        await ScreenshotAsync(page, "care-session-track-3");

        await session.StopNowAsync("Distress");
        await page.AssertNoSeriousFindingsAsync("a stopped session");
        await ScreenshotAsync(page, "care-session-stopped");
        await shell.SignOutAsync();

        await new SignInPage(page).SignInAsync(clinician.UserName, ClinicServer.DemoPassword);
        await page.GotoAsync($"patients/{patient}");
        await shell.WaitForInteractiveAsync();
        var alert = page.GetByTestId("delivery-alert");
        await Expect(alert).ToContainTextAsync("Distress");
        await Expect(alert).ToContainTextAsync("Casey Carer");
        await page.AssertNoSeriousFindingsAsync("the patient page with an open alert");
        await ScreenshotAsync(page, "clinician-alert");
        await page.Context.CloseAsync();
    }

    private static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ClinicServer.ArtefactFolder, $"{name}.png"), FullPage = true });
}
