using Amrs.Clinic.Components.Pages.Audit;
using Amrs.Clinic.Services.AuditReview;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Security;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Audit;

/// <summary>The approvals list never shows an earlier range under a filter it refused.</summary>
public sealed class ApprovalsPageTests : ClinicComponentTest
{
    private readonly FakeAuditReview _review = new();

    public ApprovalsPageTests()
    {
        Services.AddSingleton<IAuditReviewService>(_review);
        SignInAs(Roles.Auditor);
    }

    [Fact]
    public async Task A_range_that_ends_before_it_starts_is_refused_and_the_earlier_list_is_cleared()
    {
        var page = Render<Approvals>();
        Assert.Equal(3, page.FindAll("tbody tr").Count);

        page.Find("#range-from").Change("2026-03-02T00:00");
        page.Find("#range-to").Change("2026-03-01T00:00");
        await FindAndClickAsync(page, () => page.FindAll("button").Single(b => b.TextContent.Trim() == "Show"));

        Assert.Contains("To must be after From.", page.Find("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("pl-1", page.Markup, StringComparison.Ordinal);
    }
}
