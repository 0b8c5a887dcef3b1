using Amrs.Clinic.Components.Pages.Audit;
using Amrs.Clinic.Services.AuditReview;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Audit;
using Amrs.Core.Security;
using Amrs.Data.Audit.Anchors;
using Amrs.Data.Audit.Review;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Amrs.Clinic.Tests.Audit;

/// <summary>The auditor's console in bUnit: what the inputs send to the service and what the page shows back.</summary>
public sealed class TrailPageTests : ClinicComponentTest
{
    private readonly FakeAuditReview _review = new();

    public TrailPageTests()
    {
        Services.AddSingleton<IAuditReviewService>(_review);
        SignInAs(Roles.Auditor);
    }

    [Fact]
    public async Task The_filters_reach_the_service_and_the_download_links()
    {
        var page = RenderTrail();

        Input(page, "From (UTC)").Change("2026-03-01T08:00");
        Input(page, "To (UTC, not included)").Change("2026-03-02T00:00");
        Input(page, "Patient pseudonym").Change("P-0007");
        await Choose(page, "Actor", "u-1");
        await Choose(page, "Action", AuditActions.PlaylistApproved);
        await Choose(page, "Outcome", nameof(AuditOutcome.Refused));
        await FindAndClickAsync(page, () => Button(page, "Apply filter"));

        var expected = new AuditFilter(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero),
            "u-1", "P-0007", AuditActions.PlaylistApproved, AuditOutcome.Refused);
        Assert.Equal(expected, _review.PageRequests[^1].Filter);
        Assert.Null(_review.PageRequests[^1].OlderThan);
        var csv = page.FindAll("a").Single(a => a.TextContent.Contains("Download CSV", StringComparison.Ordinal)).GetAttribute("href")!;
        Assert.StartsWith("/audit/export?format=csv&from=2026-03-01T08%3A00%3A00.0000000Z&to=2026-03-02T00%3A00%3A00.0000000Z&actor=u-1&patient=P-0007&action=playlist.approval&outcome=Refused", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_time_is_refused_on_the_page_without_asking_the_service()
    {
        var page = RenderTrail();
        var asked = _review.PageRequests.Count;

        Input(page, "From (UTC)").Change("2026-03-02T00:00");
        Input(page, "To (UTC, not included)").Change("2026-03-01T00:00");
        await FindAndClickAsync(page, () => Button(page, "Apply filter"));

        Assert.Equal(asked, _review.PageRequests.Count);
        Assert.Contains("To must be after From.", page.Find("[role=alert]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_shows_an_intact_chain_with_its_count()
    {
        _review.Verification = new AuditChainVerification(1234, new AuditChainHead(1234, AuditChain.GenesisHash), null);
        var page = RenderTrail();

        Button(page, "Verify the whole chain").Click();

        Assert.Equal(1, _review.Verifications);
        var result = page.Find("[data-testid=verification]").TextContent;
        Assert.Contains("Chain intact: 1,234 entries verified", result, StringComparison.Ordinal);
        Assert.Contains("All 2 anchored heads in /data/clinic.audit-anchors.txt are still in the trail", result, StringComparison.Ordinal);
        Assert.Contains("Recorded as entry 99, and anchored.", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_reports_a_trail_cut_back_behind_an_anchor_although_its_links_hold()
    {
        var anchor = new AuditAnchor(7, new AuditChainHead(60, AuditChain.GenesisHash), new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        _review.Anchors = new AuditAnchorCheck("/data/a.txt", 3, new AuditAnchorMismatch(anchor,
            "Entry 60, anchored on 2026-03-02 09:00:00 UTC (line 7 of /data/a.txt), is no longer in the trail: the trail was cut back after that time."), []);
        var page = RenderTrail();

        Button(page, "Verify the whole chain").Click();

        var result = page.Find("[data-testid=verification]").TextContent;
        Assert.DoesNotContain("Chain intact", result, StringComparison.Ordinal);
        Assert.Contains("the anchors kept outside the database do not", result, StringComparison.Ordinal);
        Assert.Contains("Entry 60, anchored on 2026-03-02 09:00:00 UTC (line 7 of /data/a.txt), is no longer in the trail", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_names_the_first_broken_entry()
    {
        _review.Verification = new AuditChainVerification(41, new AuditChainHead(41, AuditChain.GenesisHash),
            new AuditChainBreak(42, 42, AuditChainFault.ContentChanged, "Entry 42 was changed after it was recorded: its content no longer matches its hash."));
        var page = RenderTrail();

        Button(page, "Verify the whole chain").Click();

        var result = page.Find("[data-testid=verification]").TextContent;
        Assert.Contains("Chain broken at entry 42 (ContentChanged)", result, StringComparison.Ordinal);
        Assert.Contains("Entry 42 was changed after it was recorded", result, StringComparison.Ordinal);
        Assert.Contains("41 entries before it verified", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Opening_an_entry_shows_every_field_and_its_details()
    {
        var page = RenderTrail();

        page.Find("button[aria-label='Open entry 2']").Click();

        var details = page.Find("[aria-labelledby=entry-heading]").TextContent;
        Assert.Contains("Entry 2", details, StringComparison.Ordinal);
        Assert.Contains(_review.Trail.Single(e => e.Sequence == 2).Hash, details, StringComparison.Ordinal);
        Assert.Contains("signerPrintedName", details, StringComparison.Ordinal);
        Assert.Contains("bind-2", details, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entry_named_in_the_address_opens_at_once()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/audit?entry=3");

        var page = RenderTrail();

        Assert.Contains("bind-3", page.Find("[aria-labelledby=entry-heading]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_console_offers_no_way_to_change_anything()
    {
        var page = RenderTrail();
        page.Find("button[aria-label='Open entry 1']").Click();

        var buttons = page.FindAll("button").Select(b => b.GetAttribute("aria-label") ?? b.TextContent.Trim()).ToList();

        string[] allowed = ["Verify the whole chain", "Apply filter", "Clear filter", "Newer entries", "Older entries", "Close entry"];
        Assert.All(buttons, b => Assert.True(allowed.Contains(b) || b.StartsWith("Open entry ", StringComparison.Ordinal), $"unexpected control '{b}'"));
        Assert.Empty(page.FindAll("form"));
    }

    private IRenderedComponent<Trail> RenderTrail()
    {
        Render<MudPopoverProvider>();
        return Render<Trail>();
    }

    private static IElement Input(IRenderedComponent<Trail> page, string label) =>
        page.FindComponents<MudTextField<string>>().Single(f => f.Instance.Label == label).Find("input");

    private static IElement Button(IRenderedComponent<Trail> page, string text) =>
        page.FindAll("button").Single(b => b.TextContent.Trim() == text);

    private static Task Choose(IRenderedComponent<Trail> page, string label, string value)
    {
        var select = page.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == label);
        return page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(value));
    }
}
