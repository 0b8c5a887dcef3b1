using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Security;
using Amrs.Data.Seeding;
using Amrs.E2E.Infrastructure;
using Amrs.E2E.PageObjects;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Amrs.E2E.Clinician;

/// <summary>An Admin makes the demo clinician responsible for a new patient, who then appears in the clinician's "My patients".</summary>
[Collection(ClinicCollection.Name)]
public sealed class PatientAssignmentTests(ClinicServer clinic)
{
    [Fact]
    public async Task An_admin_assigns_a_patient_and_the_clinician_finds_them_in_my_patients()
    {
        var clinician = DemoAccounts.For(Roles.Clinician);
        var patient = await ClinicalSeed.AddPatientAsync(clinic.Services, clinicianUserId: null, careUnit: "Unit Z");
        var page = await clinic.NewPageAsync();
        var shell = new ClinicShell(page);
        await new SignInPage(page).OpenAsync();
        await new SignInPage(page).SignInAsync(DemoAccounts.For(Roles.Admin).UserName, ClinicServer.DemoPassword);
        await shell.WaitForInteractiveAsync();

        await shell.NavigateAsync("Patient assignment");
        await Expect(shell.Heading).ToHaveTextAsync("Patient assignment");
        var assignment = new PatientAssignmentPage(page);
        await assignment.SearchAsync(patient);
        await Expect(assignment.Rows).ToHaveCountAsync(1);
        await Expect(assignment.Rows.First).ToContainTextAsync("none");
        await assignment.ChooseRowAsync(patient);
        // Choosing a row enables the Assign button; axe reads its colours once that render has happened.
        await Expect(assignment.AssignButton).ToBeEnabledAsync();
        await page.AssertNoSeriousFindingsAsync("the patient-assignment page");
        await assignment.AssignAsync($"{clinician.FullName} (Unit A)");

        await Expect(assignment.Notice).ToContainTextAsync($"1 of 1 patients changed: now with {clinician.FullName}, care unit Unit A.");
        await Expect(assignment.Rows.First).ToContainTextAsync(clinician.FullName);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ClinicServer.ArtefactFolder, "admin-patient-assignment.png"), FullPage = true });
        await shell.SignOutAsync();

        await new SignInPage(page).SignInAsync(clinician.UserName, ClinicServer.DemoPassword);
        await page.GotoAsync("patients");
        await shell.WaitForInteractiveAsync();
        await page.GetByLabel("Search by patient code or care unit").FillAsync(patient);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = patient })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
