using Microsoft.Playwright;

namespace Amrs.E2E.PageObjects;

/// <summary>The signed-in layout: page heading, navigation, sign-out.</summary>
public sealed class ClinicShell(IPage page)
{
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    public ILocator Navigation => page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" });

    /// <summary>Waits until the interactive circuit is up (Blazor has replaced the prerendered page).</summary>
    public async Task WaitForInteractiveAsync() =>
        await page.Locator("[data-circuit=live]").WaitForAsync();

    public async Task SignOutAsync()
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/Account/Login**");
    }
}
