using Amrs.Core.Security;
using Amrs.Data.Seeding;
using Amrs.E2E.Infrastructure;
using Amrs.E2E.PageObjects;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Amrs.E2E.Governance;

/// <summary>
/// The model registry in the browser: an Admin sees the shipped bundle promoted for care, its evaluation and the
/// retraining controls; a Clinician sees the same registry without them. Axe on both.
/// </summary>
[Collection(ClinicCollection.Name)]
public sealed class ModelRegistryTests(ClinicServer clinic)
{
    [Fact]
    public async Task An_admin_sees_the_promoted_shipped_bundle_and_may_retrain_a_clinician_only_looks()
    {
        var page = await clinic.NewPageAsync();
        var shell = new ClinicShell(page);
        await new SignInPage(page).OpenAsync();
        await new SignInPage(page).SignInAsync(DemoAccounts.For(Roles.Admin).UserName, ClinicServer.DemoPassword);
        await shell.WaitForInteractiveAsync();

        await shell.NavigateAsync("Model registry");
        await Expect(shell.Heading).ToHaveTextAsync("Model registry");
        var shipped = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "(shipped)" });
        await Expect(shipped).ToHaveCountAsync(1);
        await Expect(shipped).ToContainTextAsync("promoted for care");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Start retraining" })).ToBeVisibleAsync();
        await page.AssertNoSeriousFindingsAsync("the model registry (Admin)");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ClinicServer.ArtefactFolder, "model-registry.png"), FullPage = true });
        await shell.SignOutAsync();

        await new SignInPage(page).SignInAsync(DemoAccounts.For(Roles.Clinician).UserName, ClinicServer.DemoPassword);
        await page.GotoAsync("models");
        await shell.WaitForInteractiveAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "(shipped)" })).ToContainTextAsync("promoted for care");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Start retraining" })).ToHaveCountAsync(0);
        await page.AssertNoSeriousFindingsAsync("the model registry (Clinician)");
        await page.Context.CloseAsync();
    }
}
