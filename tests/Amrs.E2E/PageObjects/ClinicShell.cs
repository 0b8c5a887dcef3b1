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

    /// <summary>
    /// Follows a navigation link. Below the desktop breakpoint (a tablet) the navigation is a drawer that starts
    /// closed: wait until it has settled closed, open it with the menu button, then follow the link.
    /// </summary>
    public async Task NavigateAsync(string linkName, bool smallScreen = false)
    {
        var link = Navigation.GetByRole(AriaRole.Link, new() { Name = linkName, Exact = true });
        if (smallScreen)
        {
            await Assertions.Expect(page.Locator(".mud-drawer")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--closed"));
            await page.GetByRole(AriaRole.Button, new() { Name = "Show or hide the navigation" }).ClickAsync();
        }
        await link.ClickAsync();
    }

    public async Task SignOutAsync()
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/Account/Login**");
    }
}
