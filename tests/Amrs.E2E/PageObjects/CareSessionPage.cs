using System.Globalization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Amrs.E2E.PageObjects;

/// <summary>
/// A running session on the tablet. Every change on the observation form is saved at once; the page object
/// waits for each save's confirmation (the form's status line counts versions of the current track).
/// </summary>
public sealed class CareSessionPage(IPage page)
{
    private int _versions;

    public ILocator Status => page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Saved" });

    public ILocator NowPlaying => page.GetByRole(AriaRole.Heading, new() { Level = 2 }).Filter(new() { HasText = "Now playing" });

    public ILocator NextButton => page.GetByRole(AriaRole.Button, new() { Name = "Next track" });

    public ILocator Progress => page.GetByRole(AriaRole.Heading, new() { Level = 2 }).Filter(new() { HasText = "Track " });

    /// <summary>Taps the valence-arousal plane at a point given in plane units (0..1, arousal upward).</summary>
    public async Task TapAffectAsync(double valence, double arousal)
    {
        var plane = page.Locator("[data-testid$='-affect-plane']");
        var box = (await plane.BoundingBoxAsync())!;
        await plane.ClickAsync(new() { Position = new() { X = (float)(valence * box.Width), Y = (float)((1 - arousal) * box.Height) } });
        await SavedAsync();
    }

    /// <summary>
    /// Types the observed affect with the keyboard alternative on a track with none yet: valence alone is no point
    /// (the form says both are needed and saves nothing); with arousal the point is saved once.
    /// </summary>
    public async Task TypeAffectAsync(double valence, double arousal)
    {
        var valenceField = page.GetByLabel("Valence (0 unpleasant – 1 pleasant)");
        await valenceField.FillAsync(valence.ToString(CultureInfo.InvariantCulture));
        await valenceField.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "give both valence and arousal" }).First).ToBeVisibleAsync();
        await FillAndLeaveAsync(page.GetByLabel("Arousal (0 calm – 1 excited)"), arousal);
    }

    /// <summary>Scores one OERS item by the duration it was seen (the button's text, e.g. "1–5 min").</summary>
    public async Task ScoreAsync(string item, string duration)
    {
        await page.GetByRole(AriaRole.Group, new() { Name = item, Exact = true }).Locator("label").Filter(new() { HasText = duration }).ClickAsync();
        await SavedAsync();
    }

    public async Task EngagementAsync(string choice)
    {
        await page.GetByRole(AriaRole.Group, new() { Name = "Engagement with this track" }).Locator("label").Filter(new() { HasText = choice }).ClickAsync();
        await SavedAsync();
    }

    public async Task NextAsync(int expectedTrackNumber)
    {
        await NextButton.ClickAsync();
        await Expect(Progress).ToContainTextAsync($"Track {expectedTrackNumber} of");
        _versions = 0;
    }

    public async Task StopNowAsync(string reason)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "STOP NOW" }).ClickAsync();
        // The question takes the focus, so it is read out and the reasons are the keyboard's next stops.
        await Expect(page.GetByRole(AriaRole.Group, new() { NameRegex = new("^Why are you stopping") })).ToBeFocusedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Stop: {reason}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Session stopped" })).ToBeVisibleAsync();
    }

    private async Task FillAndLeaveAsync(ILocator field, double value)
    {
        await field.FillAsync(value.ToString(CultureInfo.InvariantCulture));
        await field.PressAsync("Tab");
        await SavedAsync();
    }

    private async Task SavedAsync()
    {
        _versions++;
        await Expect(Status).ToHaveTextAsync($"Saved (version {_versions}).");
    }
}
