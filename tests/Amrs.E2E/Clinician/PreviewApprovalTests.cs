using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Security;
using Amrs.Data;
using Amrs.Data.Seeding;
using Amrs.E2E.Infrastructure;
using Amrs.E2E.PageObjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Amrs.E2E.Clinician;

/// <summary>A clinician's afternoon: change the weights, preview, swap a track, preview again, sign; care staff can then deliver it.</summary>
[Collection(ClinicCollection.Name)]
public sealed class PreviewApprovalTests(ClinicServer clinic)
{
    [Fact]
    public async Task A_clinician_edits_weights_previews_swaps_a_track_previews_again_and_approves()
    {
        var clinician = DemoAccounts.For(Roles.Clinician);
        var (patient, page, shell, goals) = await ClinicianOnNewPatientsGoalsAsync();
        await goals.SetWeightAsync("Engagement", 0.3);
        await goals.SaveAsync("More weight on listening through", expectedVersion: 1);
        await goals.OpenPreviewAsync();
        await shell.WaitForInteractiveAsync();
        await Expect(shell.Heading).ToHaveTextAsync($"Preview and approval: {patient}");

        var preview = new PlaylistPreviewPage(page);
        await preview.ProposeAsync();
        await Expect(preview.ListHeading).ToContainTextAsync("The model's proposal");
        await Expect(preview.TrackRows).ToHaveCountAsync(5);
        await Expect(preview.TrackRows.Nth(1)).ToContainTextAsync("Song 2");
        await page.AssertNoSeriousFindingsAsync("the preview of the model's proposal");
        await ScreenshotAsync(page, "preview-proposal");

        await preview.SwapAsync(position: 2, search: "Song 12", title: "Song 12", artist: "Artist 5");
        await Expect(page.GetByTestId("not-simulated")).ToBeVisibleAsync();
        await preview.SimulateEditAsync();
        await Expect(preview.TrackRows.Nth(1)).ToContainTextAsync("Song 12");
        await page.AssertNoSeriousFindingsAsync("the preview of an edited list");
        await ScreenshotAsync(page, "preview-edited");

        await preview.ApproveAsync(ClinicServer.DemoPassword);
        await Expect(preview.Decision).ToContainTextAsync($"Approved for delivery: signed by {clinician.FullName}");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Swap track 2" })).ToHaveCountAsync(0);
        await page.AssertNoSeriousFindingsAsync("an approved preview");
        await ScreenshotAsync(page, "preview-approved");

        await using var scope = clinic.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync();
        var approval = await db.PlaylistApprovals.SingleAsync(a => a.PatientId == patient);
        Assert.Equal(["T-1", "T-12", "T-4", "T-5", "T-6"], approval.TrackIds);
        Assert.Equal(clinician.FullName, approval.SignerPrintedName);

        // What was signed on the page can be delivered: care staff of the unit start it, beginning with the signed first track.
        await shell.SignOutAsync();
        await new SignInPage(page).SignInAsync(DemoAccounts.For(Roles.CareStaff).UserName, ClinicServer.DemoPassword);
        var today = new TodayPage(page);
        await today.OpenAsync();
        await shell.WaitForInteractiveAsync();
        await today.StartAsync(patient, valence: 0.4, arousal: 0.6);
        var session = new CareSessionPage(page);
        await Expect(session.Progress).ToHaveTextAsync("Track 1 of 5");
        await Expect(session.NowPlaying).ToContainTextAsync("Song 1");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_clinician_withdraws_an_approved_list_and_care_staff_no_longer_see_it()
    {
        // On a tablet in landscape, where the wide tables must scroll inside their regions and not the page.
        var (patient, page, shell, goals) = await ClinicianOnNewPatientsGoalsAsync(width: 1024, height: 768);
        await ScreenshotAsync(page, "patient-goals-tablet-landscape");
        await goals.SaveAsync("Goals for the withdrawal", expectedVersion: 1);
        await goals.OpenPreviewAsync();
        await shell.WaitForInteractiveAsync();
        var preview = new PlaylistPreviewPage(page);
        await preview.ProposeAsync();
        // The change buttons stay on screen beside a list wider than the tablet.
        var swap = (await page.GetByRole(AriaRole.Button, new() { Name = "Swap track 1" }).BoundingBoxAsync())!;
        Assert.True(swap.X + swap.Width <= 1024, $"the Change column starts off screen, at x = {swap.X}");
        await preview.ApproveAsync(ClinicServer.DemoPassword);
        await Expect(preview.Decision).ToContainTextAsync("Approved for delivery");
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"the page scrolls sideways: {widths[0]} px of content in {widths[1]}");

        await page.GetByRole(AriaRole.Button, new() { NameRegex = new("^Withdraw the list signed") }).First.ClickAsync();
        await Expect(page.GetByTestId("withdraw-form")).ToBeVisibleAsync();
        await page.AssertNoSeriousFindingsAsync("the withdrawal form");
        await preview.WithdrawAsync(ClinicServer.DemoPassword, "Agitated after lunch");
        await Expect(preview.DecisionStatuses.First).ToHaveTextAsync("Withdrawn");
        await Expect(page.GetByTestId("withdraw-form")).ToHaveCountAsync(0);

        await shell.SignOutAsync();
        await new SignInPage(page).SignInAsync(DemoAccounts.For(Roles.CareStaff).UserName, ClinicServer.DemoPassword);
        var today = new TodayPage(page);
        await today.OpenAsync();
        await shell.WaitForInteractiveAsync();
        // Wait until the day's list has loaded (the progress bar gone), then the withdrawn list is not on it.
        await Expect(page.GetByRole(AriaRole.Progressbar, new() { Name = "Loading today's sessions" })).ToHaveCountAsync(0);
        await Expect(today.Card(patient)).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    /// <summary>The demo clinician, signed in, on the goals page of a new patient of theirs.</summary>
    private async Task<(string Patient, IPage Page, ClinicShell Shell, PatientGoalsPage Goals)> ClinicianOnNewPatientsGoalsAsync(
        int width = 1280, int height = 900)
    {
        var clinician = DemoAccounts.For(Roles.Clinician);
        var patient = await ClinicalSeed.AddPatientAsync(clinic.Services, await clinic.UserIdAsync(clinician.UserName));
        var page = await clinic.NewPageAsync(width, height);
        var shell = new ClinicShell(page);
        await new SignInPage(page).OpenAsync();
        await new SignInPage(page).SignInAsync(clinician.UserName, ClinicServer.DemoPassword);
        var goals = new PatientGoalsPage(page);
        await goals.OpenAsync(patient);
        await shell.WaitForInteractiveAsync();
        return (patient, page, shell, goals);
    }

    private static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ClinicServer.ArtefactFolder, $"{name}.png"), FullPage = true });
}
