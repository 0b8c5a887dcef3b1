using Microsoft.Playwright;

namespace Amrs.E2E.PageObjects;

/// <summary>The Admin's patient-assignment page, found by roles and labels.</summary>
public sealed class PatientAssignmentPage(IPage page)
{
    public ILocator Rows => page.Locator("[aria-label='Patients and their assignment'] tbody tr");

    public ILocator Notice => page.GetByRole(AriaRole.Status);

    public ILocator AssignButton => page.GetByRole(AriaRole.Button, new() { Name = "Assign", Exact = true });

    public async Task SearchAsync(string text) =>
        await page.GetByLabel("Search by patient code or care unit").FillAsync(text);

    public async Task ChooseRowAsync(string patientId) =>
        await Rows.Filter(new() { HasText = patientId }).GetByRole(AriaRole.Checkbox).CheckAsync();

    public async Task AssignAsync(string clinicianOption)
    {
        await page.GetByLabel("Responsible clinician", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = clinicianOption, Exact = true }).ClickAsync();
        await AssignButton.ClickAsync();
    }
}
