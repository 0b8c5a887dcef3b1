using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Amrs.E2E.PageObjects;

/// <summary>The clinician's preview and approval page, found by roles and labels.</summary>
public sealed class PlaylistPreviewPage(IPage page)
{
    public ILocator ListHeading => page.GetByRole(AriaRole.Heading, new() { Level = 2 }).Filter(new() { HasTextRegex = new("proposal") });

    public ILocator TrackRows => page.GetByTestId("draft-tracks").Locator("tbody tr");

    public ILocator Decision => page.GetByTestId("decision");

    /// <summary>Asks the model for its proposal and waits until the rollouts are drawn.</summary>
    public async Task ProposeAsync()
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Propose and simulate" }).ClickAsync();
        await ChartsDrawnAsync();
    }

    public async Task SwapAsync(int position, string search, string title, string artist)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = $"Swap track {position}" }).ClickAsync();
        var field = page.GetByLabel("Search the catalog: title, artist or genre");
        await field.FillAsync(search);
        await field.PressAsync("Enter");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Use {title} by {artist}" }).ClickAsync();
    }

    public async Task SimulateEditAsync()
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Simulate the edited list" }).ClickAsync();
        await Expect(ListHeading).ToContainTextAsync("Your edit of the model's proposal");
        await ChartsDrawnAsync();
    }

    public async Task ApproveAsync(string password)
    {
        await page.GetByLabel("Your password (to sign)").FillAsync(password);
        await page.GetByLabel("I sign this list with the meaning \"Approved for delivery\"").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve and sign" }).ClickAsync();
    }

    /// <summary>Withdraws the newest deliverable list in the signed decisions table, signing with a reason.</summary>
    public async Task WithdrawAsync(string password, string reason)
    {
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new("^Withdraw the list signed") }).First.ClickAsync();
        await page.GetByLabel("Reason for withdrawing").FillAsync(reason);
        await page.GetByLabel("Your password (to sign the withdrawal)").FillAsync(password);
        await page.GetByLabel("I sign with the meaning \"Withdrawn from delivery\"").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Withdraw and sign" }).ClickAsync();
    }

    /// <summary>The Decision cell of each row of the signed decisions table, newest first.</summary>
    public ILocator DecisionStatuses => page.GetByTestId("decision-status");

    private async Task ChartsDrawnAsync()
    {
        foreach (var chart in new[] { "#forecast-valence", "#forecast-arousal", "#forecast-path" })
            await page.Locator($"{chart} .main-svg").First.WaitForAsync();
    }
}
