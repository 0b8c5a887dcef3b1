using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Amrs.E2E.Infrastructure;

/// <summary>
/// Runs axe on the page once its finite animations and transitions have ended, and fails on any serious or critical
/// finding, listing them. Mid-transition colours are not the page's: a button fading from disabled to enabled was once
/// measured halfway and failed the contrast rule.
/// </summary>
public static class Accessibility
{
    private const string AnimationsEnded = """
        () => Promise.all(document.getAnimations()
            .filter(a => a.playState === 'running' && Number.isFinite(a.effect?.getComputedTiming().endTime ?? Infinity))
            .map(a => a.finished.catch(() => null)))
        """;

    public static async Task AssertNoSeriousFindingsAsync(this IPage page, string where)
    {
        await page.EvaluateAsync(AnimationsEnded);
        var result = await page.RunAxe();
        var serious = result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")
            .ToList();
        Assert.True(serious.Count == 0, $"axe found {serious.Count} serious or critical problem(s) on {where}:\n{string.Join("\n", serious)}");
    }
}
