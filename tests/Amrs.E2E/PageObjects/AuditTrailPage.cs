using Microsoft.Playwright;

namespace Amrs.E2E.PageObjects;

/// <summary>The auditor's console (/audit), found by labels and roles.</summary>
public sealed class AuditTrailPage(IPage page)
{
    public ILocator Verification => page.GetByTestId("verification");

    public ILocator Summary => page.GetByRole(AriaRole.Status).Filter(new() { HasText = "match the filter" });

    public ILocator Rows => page.Locator("[aria-label='Audit entries'] tbody tr");

    public ILocator EntryDetails => page.Locator("[aria-labelledby=entry-heading]");

    /// <summary>Chooses an option of one of the MudBlazor selects (Actor, Action, Outcome).</summary>
    public async Task ChooseAsync(string label, string option)
    {
        await page.GetByLabel(label, new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
    }

    public async Task ApplyFilterAsync() =>
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filter" }).ClickAsync();

    public async Task OpenFirstEntryAsync() =>
        await Rows.First.GetByRole(AriaRole.Button).ClickAsync();

    public async Task VerifyAsync() =>
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify the whole chain" }).ClickAsync();

    public async Task<IDownload> DownloadCsvAsync() =>
        await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());
}
