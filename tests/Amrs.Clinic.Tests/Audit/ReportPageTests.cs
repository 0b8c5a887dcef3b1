using Amrs.Clinic.Components.Pages.Audit;
using Amrs.Clinic.Services.AuditReview;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Security;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Amrs.Clinic.Tests.Audit;

public sealed class ReportPageTests : ClinicComponentTest
{
    private readonly FakeAuditReview _review = new();

    public ReportPageTests()
    {
        Services.AddSingleton<IAuditReviewService>(_review);
        Services.AddSingleton(TimeProvider.System);
        SignInAs(Roles.Auditor);
    }

    [Fact]
    public async Task The_picked_month_reaches_the_service_and_its_counts_are_shown()
    {
        var page = Render<Report>();
        var now = DateTimeOffset.UtcNow;
        Assert.Equal((now.Year, now.Month), _review.ReportRequests[0]); // opens on this month

        page.FindComponents<MudTextField<string>>().Single(f => f.Instance.Label == "Month (UTC)").Find("input").Change("2026-02");
        await FindAndClickAsync(page, () => page.FindAll("button").Single(b => b.TextContent.Trim() == "Show report"));

        Assert.Equal((2026, 2), _review.ReportRequests[^1]);
        Assert.Contains("February 2026", page.Find("h2").TextContent, StringComparison.Ordinal);
        var rows = page.FindAll("tr").Select(r => string.Join("|", r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()))).ToList();
        Assert.Contains("Dr. Ana Rossi|7", rows);
        Assert.Contains("consent-required|3", rows);
    }

    [Theory]
    [InlineData("soon", "Month: 'soon' is not a month; pick one (year and month).")]
    [InlineData("", "Month: choose the month to report (year and month).")]
    public async Task A_month_that_is_not_a_month_is_refused_on_the_page(string typed, string message)
    {
        var page = Render<Report>();

        page.FindComponents<MudTextField<string>>().Single(f => f.Instance.Label == "Month (UTC)").Find("input").Change(typed);
        await FindAndClickAsync(page, () => page.FindAll("button").Single(b => b.TextContent.Trim() == "Show report"));

        Assert.Single(_review.ReportRequests);
        Assert.Equal(message, page.Find("[role=alert]").TextContent.Trim());
    }
}
