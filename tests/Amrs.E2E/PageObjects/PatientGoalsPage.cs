using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Amrs.E2E.PageObjects;

/// <summary>The patient page's utility editor: weights typed with the keyboard, saved as a new version.</summary>
public sealed class PatientGoalsPage(IPage page)
{
    public async Task OpenAsync(string patientId) => await page.GotoAsync($"patients/{patientId}");

    public async Task SetWeightAsync(string weight, double value)
    {
        var field = page.GetByLabel($"{weight} weight", new() { Exact = true });
        await field.FillAsync(value.ToString(CultureInfo.InvariantCulture));
        await field.PressAsync("Tab");
    }

    public async Task SaveAsync(string reason, int expectedVersion)
    {
        await page.GetByLabel("Why this change", new() { Exact = true }).FillAsync(reason);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save as a new version" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2 }).Filter(new() { HasText = "Goals and utility" }))
            .ToContainTextAsync($"version {expectedVersion}");
        // The confirmation fades out by itself; while it fades its contrast is below what axe accepts on the next page.
        await Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
    }

    public async Task OpenPreviewAsync()
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Preview and approve a playlist" }).ClickAsync();
        await page.WaitForURLAsync("**/preview");
    }
}
