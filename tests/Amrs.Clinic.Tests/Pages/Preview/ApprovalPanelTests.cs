using Amrs.Clinic.Components.Pages.Preview;
using Amrs.Clinic.Services.Preview;
using Amrs.Clinic.Tests.Infrastructure;
using Bunit;

namespace Amrs.Clinic.Tests.Pages.Preview;

/// <summary>The signature form never signs for a date the clinician did not give.</summary>
public sealed class ApprovalPanelTests : ClinicComponentTest
{
    private SignatureRequest? _signed;

    [Theory]
    [InlineData("")]
    [InlineData("15.01.2027")]
    [InlineData("garbage")]
    public async Task A_date_that_is_empty_or_cannot_be_read_signs_nothing_and_says_so(string typed)
    {
        var panel = RenderPanel();

        panel.Find("#approval-password").Change("secret");
        panel.Find("input#approval-date, #approval-date input").Change(typed);
        await FindAndClickAsync(panel, () => panel.FindAll("button").Single(b => b.TextContent.Contains("Approve and sign", StringComparison.Ordinal)));

        Assert.Null(_signed);
        Assert.Contains("Scheduled for: enter the date the list is for", panel.Find("[data-testid=signature-errors]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_typed_date_is_the_date_signed()
    {
        var panel = RenderPanel();

        panel.Find("input#approval-date, #approval-date input").Change("2030-01-15");
        await FindAndClickAsync(panel, () => panel.FindAll("button").Single(b => b.TextContent.Contains("Approve and sign", StringComparison.Ordinal)));

        Assert.NotNull(_signed);
        Assert.Equal(new DateOnly(2030, 1, 15), _signed.ScheduledFor);
    }

    private IRenderedComponent<ApprovalPanel> RenderPanel() =>
        Render<ApprovalPanel>(p => p
            .Add(x => x.OnApprove, (SignatureRequest request) => _signed = request)
            .Add(x => x.OnReject, (string _) => { }));
}
