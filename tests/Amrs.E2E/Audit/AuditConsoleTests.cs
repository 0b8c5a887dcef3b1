using System.Globalization;
using System.Text.RegularExpressions;
using Amrs.Core.Audit;
using Amrs.Core.Security;
using Amrs.Data.Seeding;
using Amrs.E2E.Infrastructure;
using Amrs.E2E.PageObjects;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Amrs.E2E.Audit;

[Collection(ClinicCollection.Name)]
public sealed partial class AuditConsoleTests(ClinicServer clinic)
{
    [Fact]
    public async Task The_auditor_filters_opens_an_entry_verifies_the_chain_and_downloads_csv_on_a_tablet()
    {
        var page = await clinic.NewPageAsync(width: 768, height: 1024);
        await new SignInPage(page).OpenAsync();
        await new SignInPage(page).SignInAsync(DemoAccounts.For(Roles.Auditor).UserName, ClinicServer.DemoPassword);
        var shell = new ClinicShell(page);
        await shell.WaitForInteractiveAsync();
        await Expect(shell.Heading).ToHaveTextAsync("Audit console");

        await shell.NavigateAsync("Audit trail", smallScreen: true);
        await Expect(shell.Heading).ToHaveTextAsync("Audit trail");
        var console = new AuditTrailPage(page);
        await Expect(console.Rows.First).ToBeVisibleAsync();
        await page.AssertNoSeriousFindingsAsync("the audit trail");

        await console.ChooseAsync("Action", AuditActions.SignIn);
        await console.ApplyFilterAsync();
        await Expect(console.Summary).ToContainTextAsync("match the filter");
        // The table re-renders after the filter applies: wait until no row shows another action.
        await Expect(console.Rows.Locator("td[data-label=Action]").Filter(new() { HasNotTextRegex = new System.Text.RegularExpressions.Regex("^\\s*account\\.sign-in\\s*$") }))
            .ToHaveCountAsync(0);
        var actions = await console.Rows.Locator("td[data-label=Action]").AllInnerTextsAsync();
        Assert.NotEmpty(actions);
        Assert.All(actions, a => Assert.Equal(AuditActions.SignIn, a.Trim()));

        await console.OpenFirstEntryAsync();
        await Expect(console.EntryDetails).ToContainTextAsync(DemoAccounts.For(Roles.Auditor).UserName); // the sign-in's details name the account
        await page.AssertNoSeriousFindingsAsync("an opened audit entry");

        await console.VerifyAsync();
        await Expect(console.Verification).ToContainTextAsync("Chain intact:");
        var verified = VerifiedCount().Match(await console.Verification.InnerTextAsync());
        Assert.True(verified.Success, await console.Verification.InnerTextAsync());
        Assert.True(long.Parse(verified.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) >= 1);
        await page.AssertNoSeriousFindingsAsync("the verification result");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ClinicServer.ArtefactFolder, "audit-trail-tablet.png"), FullPage = true });

        var download = await console.DownloadCsvAsync();
        var file = Path.Combine(ClinicServer.ArtefactFolder, "audit-export.csv");
        await download.SaveAsAsync(file);
        var lines = (await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Sequence,RecordedAt,ActorId,ActorName", lines[0], StringComparison.Ordinal);
        Assert.NotEmpty(lines[1..]);
        Assert.All(lines[1..], line => Assert.Equal(AuditActions.SignIn, line.Split(',')[5]));
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("Approvals and signatures")]
    [InlineData("Guard refusals")]
    [InlineData("Monthly report")]
    public async Task The_other_console_pages_open_for_the_auditor_without_serious_accessibility_findings(string title)
    {
        var page = await clinic.NewPageAsync(width: 768, height: 1024);
        await new SignInPage(page).OpenAsync();
        await new SignInPage(page).SignInAsync(DemoAccounts.For(Roles.Auditor).UserName, ClinicServer.DemoPassword);
        var shell = new ClinicShell(page);
        await shell.WaitForInteractiveAsync();

        await shell.NavigateAsync(title, smallScreen: true);

        await Expect(shell.Heading).ToHaveTextAsync(title);
        await Expect(page.GetByRole(AriaRole.Table).First).ToBeVisibleAsync();
        await page.AssertNoSeriousFindingsAsync($"the page '{title}'");
        await page.Context.CloseAsync();
    }

    [GeneratedRegex(@"Chain intact: ([\d,]+) entr(?:y|ies) verified")]
    private static partial Regex VerifiedCount();
}
