using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Amrs.E2E.Infrastructure;

/// <summary>Runs axe on the page as it is now and fails on any serious or critical finding, listing them.</summary>
public static class Accessibility
{
    public static async Task AssertNoSeriousFindingsAsync(this IPage page, string where)
    {
        var result = await page.RunAxe();
        var serious = result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")
            .ToList();
        Assert.True(serious.Count == 0, $"axe found {serious.Count} serious or critical problem(s) on {where}:\n{string.Join("\n", serious)}");
    }
}
