using Microsoft.Playwright;

namespace Amrs.E2E.PageObjects;

/// <summary>The static sign-in page, found by its labels and roles.</summary>
public sealed class SignInPage(IPage page)
{
    public ILocator Error => page.GetByRole(AriaRole.Alert);

    public async Task OpenAsync() => await page.GotoAsync("Account/Login");

    public async Task SignInAsync(string userName, string password)
    {
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }
}
