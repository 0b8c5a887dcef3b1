using Amrs.Core.Security;
using Amrs.Data.Seeding;
using Amrs.E2E.Infrastructure;
using Amrs.E2E.PageObjects;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Amrs.E2E.Accounts;

[Collection(ClinicCollection.Name)]
public sealed class UserAdministrationTests(ClinicServer clinic)
{
    [Fact]
    public async Task An_admin_issues_an_account_and_the_new_person_can_sign_in_with_the_one_time_password()
    {
        var page = await clinic.NewPageAsync();
        await new SignInPage(page).OpenAsync();
        await new SignInPage(page).SignInAsync(DemoAccounts.For(Roles.Admin).UserName, ClinicServer.DemoPassword);
        var shell = new ClinicShell(page);
        await shell.WaitForInteractiveAsync();

        await shell.Navigation.GetByRole(AriaRole.Link, new() { Name = "User accounts" }).ClickAsync();
        await Expect(shell.Heading).ToHaveTextAsync("User accounts");
        await page.AssertNoSeriousFindingsAsync("the user accounts page");

        var userName = $"nurse-{Guid.NewGuid():N}@e2e.amrs"[..30];
        await page.GetByLabel("User name (e-mail)").FillAsync(userName);
        await page.GetByLabel("Full name (printed on signatures)").FillAsync("Nora Nurse");
        await page.GetByLabel("Care unit (clinicians and care staff)").FillAsync("Unit B");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Care staff" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

        var notice = page.GetByRole(AriaRole.Status);
        await Expect(notice).ToContainTextAsync("One-time password");
        var text = await notice.InnerTextAsync();
        var password = text.Split(": ")[1].Split(' ')[0];
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Nora Nurse" })).ToBeVisibleAsync();

        // Resetting a password ends the person's pages: it is asked once more on the row, and Cancel changes nothing.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Reset password for {userName}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = $"Give {userName} a new one-time password?" })).ToBeVisibleAsync();
        await page.AssertNoSeriousFindingsAsync("the confirmation of a password reset");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Reset password for {userName}" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(ClinicServer.ArtefactFolder, "admin-users.png"), FullPage = true });
        await shell.SignOutAsync();

        // The one-time password signs in, straight to choosing one's own (nothing can be signed with it).
        await new SignInPage(page).SignInAsync(userName, password);
        await Expect(shell.Heading).ToHaveTextAsync("Change password");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("one-time password");
        await page.AssertNoSeriousFindingsAsync("the first sign-in's change of password");
        await page.GetByLabel("Current password").FillAsync(password);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("Nora-Own-Password-2026");
        await page.GetByLabel("Repeat the new password").FillAsync("Nora-Own-Password-2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Your password was changed.");
        await page.GotoAsync("");
        await Expect(shell.Heading).ToHaveTextAsync("Care staff: today's sessions");
        await page.Context.CloseAsync();
    }
}
