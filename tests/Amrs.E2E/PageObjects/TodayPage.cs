using System.Globalization;
using Microsoft.Playwright;

namespace Amrs.E2E.PageObjects;

/// <summary>Care staff's list of today's approved playlists, found by roles and labels.</summary>
public sealed class TodayPage(IPage page)
{
    public async Task OpenAsync() => await page.GotoAsync("today");

    public ILocator Card(string patientId) => page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = $"Patient {patientId}" });

    /// <summary>Starts the patient's session with the affect observed before the music, typed on the keyboard.</summary>
    public async Task StartAsync(string patientId, double valence, double arousal)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = $"Start session for patient {patientId}" }).ClickAsync();
        var card = Card(patientId);
        await card.GetByLabel("Valence (0 unpleasant – 1 pleasant)").FillAsync(valence.ToString(CultureInfo.InvariantCulture));
        await card.GetByLabel("Valence (0 unpleasant – 1 pleasant)").PressAsync("Tab");
        await card.GetByLabel("Arousal (0 calm – 1 excited)").FillAsync(arousal.ToString(CultureInfo.InvariantCulture));
        await card.GetByLabel("Arousal (0 calm – 1 excited)").PressAsync("Tab");
        await card.GetByRole(AriaRole.Button, new() { Name = "Begin the music" }).ClickAsync();
        await page.WaitForURLAsync("**/sessions/**");
    }
}
