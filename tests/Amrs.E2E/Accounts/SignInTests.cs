using System.Text.RegularExpressions;
using Amrs.Core.Security;
using Amrs.Data.Seeding;
using Amrs.E2E.Infrastructure;
using Amrs.E2E.PageObjects;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Amrs.E2E.Accounts;

[Collection(ClinicCollection.Name)]
public sealed class SignInTests(ClinicServer clinic)
{
    public static TheoryData<string, string> RoleHomes() => new()
    {
        { Roles.Clinician, "Clinician workspace" },
        { Roles.CareStaff, "Care staff: today's sessions" },
        { Roles.Auditor, "Audit console" },
        { Roles.Admin, "Administration" },
    };

    [Theory]
    [MemberData(nameof(RoleHomes))]
    public async Task Each_role_signs_in_sees_its_home_page_and_signs_out(string role, string heading)
    {
        var page = await clinic.NewPageAsync();
        var signIn = new SignInPage(page);
        var shell = new ClinicShell(page);

        await signIn.OpenAsync();
        await page.AssertNoSeriousFindingsAsync("the sign-in page");
        await signIn.SignInAsync(DemoAccounts.For(role).UserName, ClinicServer.DemoPassword);

        await Expect(shell.Heading).ToHaveTextAsync(heading);
        await shell.WaitForInteractiveAsync();
        await Expect(page.GetByRole(AriaRole.Banner)).ToContainTextAsync(DemoAccounts.For(role).FullName);
        await page.AssertNoSeriousFindingsAsync($"the {role} home page");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ClinicServer.ArtefactFolder, $"home-{role}.png") });

        await shell.SignOutAsync();
        await page.GotoAsync("");
        await Expect(page).ToHaveURLAsync(new Regex("Account/Login"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_wrong_password_shows_an_error_and_does_not_sign_in()
    {
        var page = await clinic.NewPageAsync();
        var signIn = new SignInPage(page);

        await signIn.OpenAsync();
        await signIn.SignInAsync(DemoAccounts.For(Roles.Clinician).UserName, "Wrong-password-123");

        await Expect(signIn.Error).ToHaveTextAsync("The user name or password is incorrect.");
        await page.AssertNoSeriousFindingsAsync("the sign-in page with an error");
        await page.GotoAsync("");
        await Expect(page).ToHaveURLAsync(new Regex("Account/Login"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Five_failures_lock_the_account_and_then_even_the_right_password_is_refused()
    {
        const string password = "Right-Password-2026";
        var userName = await clinic.CreateAccountAsync(Roles.CareStaff, password);
        var page = await clinic.NewPageAsync();
        var signIn = new SignInPage(page);
        await signIn.OpenAsync();

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await signIn.SignInAsync(userName, $"Wrong-Password-{attempt}");
            await Expect(signIn.Error).ToHaveTextAsync("The user name or password is incorrect.");
        }
        await signIn.SignInAsync(userName, "Wrong-Password-5");
        await Expect(signIn.Error).ToContainTextAsync("locked");

        await signIn.SignInAsync(userName, password);

        await Expect(signIn.Error).ToContainTextAsync("locked");
        await page.GotoAsync("");
        await Expect(page).ToHaveURLAsync(new Regex("Account/Login"));
        await page.Context.CloseAsync();
    }
}
