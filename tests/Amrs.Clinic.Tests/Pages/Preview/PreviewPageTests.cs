using Amrs.Clinic.Components.Pages.Preview;
using Amrs.Clinic.Services.Patients;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Affect;
using Amrs.Core.Security;
using Amrs.Core.Utility;
using Amrs.Data.Seeding;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Pages.Preview;

/// <summary>
/// The preview page rendered with the clinic's real services (a signed-in clinician's scope of a running clinic)
/// and the deterministic engine: what the clinician set reaches the engine, and what the engine says reaches the screen.
/// </summary>
public sealed class PreviewPageTests(CareClinic clinic) : ClinicComponentTest, IClassFixture<CareClinic>
{
    private static readonly DemoAccounts.Account Clinician = DemoAccounts.For(Roles.Clinician);

    [Fact]
    public async Task Proposing_sends_the_saved_goals_to_the_engine_and_shows_the_forecast_of_each_track()
    {
        var weights = new UtilityWeights(0.8, 0.2, 0.5, 0.1, 0, 0.25);
        var (patient, scope) = await PatientWithGoalsAsync(UtilityProfile.DefaultFor(SessionMode.Clinical) with { Target = new AffectPoint(0.75, 0.25), Weights = weights });
        await using var _ = scope;
        var page = RenderPage(patient, scope);

        await ClickAsync(page, "Propose and simulate");

        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-testid=draft-tracks] tbody tr").Count));
        var decoded = clinic.Engine.Contexts.Last(c => c.Patient.PatientId == patient);
        Assert.Equal(weights, decoded.Profile.Weights);
        Assert.Equal(new AffectPoint(0.75, 0.25), decoded.Profile.Target);
        Assert.Equal(64, clinic.Engine.Simulations.Last(s => s.Context.Patient.PatientId == patient).Trajectories);
        Assert.Matches(@"The model's proposal\s+\(5 tracks\)", page.Find("h2").TextContent);
        Assert.Contains("Predicted valence after track 5", page.Markup, StringComparison.Ordinal);
        Assert.Contains("target 0.75", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=forecast-warning]"));
        Assert.Contains("For comparison: the behaviour-cloning policy", page.Find("[data-testid=comparison]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Out_of_distribution_forecasts_show_warnings_in_plain_words()
    {
        var (patient, scope) = await PatientWithGoalsAsync(UtilityProfile.DefaultFor(SessionMode.Clinical));
        await using var _ = scope;
        clinic.Engine.MarkOutOfDistribution(patient, "the patient has no logged sessions like this one.");
        var page = RenderPage(patient, scope);

        await ClickAsync(page, "Propose and simulate");

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=forecast-warning]")));
        var warnings = page.FindAll("[data-testid=forecast-warning]").Select(w => w.TextContent).ToList();
        Assert.Contains(warnings, w => w.Contains("Outside what the model has seen: the patient has no logged sessions like this one.", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("Uncertain arousal: the models disagree", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_edited_list_must_be_simulated_again_before_it_can_be_signed_and_the_edit_reaches_the_engine()
    {
        var (patient, scope) = await PatientWithGoalsAsync(UtilityProfile.DefaultFor(SessionMode.Clinical));
        await using var _ = scope;
        var page = RenderPage(patient, scope);
        await ClickAsync(page, "Propose and simulate");
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-testid=draft-tracks] tbody tr").Count));
        Assert.Empty(page.FindAll("[data-testid=cannot-sign]").Select(e => e.TextContent));

        await page.Find("button[aria-label='Remove track 1']").ClickAsync(new MouseEventArgs());
        await page.Find("button[aria-label='Move track 1 down']").ClickAsync(new MouseEventArgs());

        Assert.Contains("Simulate the list as it is now before signing", page.Find("[data-testid=cannot-sign]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=not-simulated]"));
        await ClickAsync(page, "Simulate the edited list");
        page.WaitForAssertion(() => Assert.Matches(@"Your edit of the model's proposal\s+\(4 tracks\)", page.Find("h2").TextContent));
        Assert.Contains(clinic.Engine.Simulations, s => s.Context.Patient.PatientId == patient && s.TrackIds.SequenceEqual(["T-4", "T-2", "T-5", "T-6"]));
        Assert.Empty(page.FindAll("[data-testid=cannot-sign]").Select(e => e.TextContent));
        Assert.NotNull(page.Find("#approval-password"));
    }

    [Fact]
    public async Task A_wrong_password_shows_why_and_signs_nothing()
    {
        var (patient, scope) = await PatientWithGoalsAsync(UtilityProfile.DefaultFor(SessionMode.Clinical));
        await using var _ = scope;
        var page = RenderPage(patient, scope);
        await ClickAsync(page, "Propose and simulate");
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#approval-password")));

        page.Find("#approval-password").Change("Wrong-Password-123");
        page.Find("#approval-meaning").Change(true);
        await ClickAsync(page, "Approve and sign");

        page.WaitForAssertion(() => Assert.Contains("The password is not correct; nothing was signed.", page.Find("[data-testid=signature-errors]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=decision]"));
        Assert.Contains("No playlist of this patient has been signed yet.", page.Markup, StringComparison.Ordinal);
        // A correct signature resets the failed-attempt count so the shared demo account is never locked by this test.
        page.Find("#approval-password").Change(ClinicFactory.DemoPassword);
        await ClickAsync(page, "Approve and sign");
        page.WaitForAssertion(() => Assert.Contains("Approved for delivery: signed by Dr. Dana Clinician", page.Find("[data-testid=decision]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("button[aria-label='Remove track 1']")); // a signed list is never edited
    }

    private async Task<(string Patient, AsyncServiceScope Scope)> PatientWithGoalsAsync(UtilityProfile profile)
    {
        var me = await SignedInScope.UserIdAsync(clinic.Factory, Clinician.UserName);
        var patient = await ClinicalSeed.AddPatientAsync(clinic.Services, me);
        var scope = await SignedInScope.ForAsync(clinic.Factory, Clinician.UserName);
        var saved = await scope.ServiceProvider.GetRequiredService<UtilityProfiles>().SaveAsync(patient, profile with { PlaylistLength = 5 }, "goals for the test");
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
        return (patient, scope);
    }

    private IRenderedComponent<PreviewPage> RenderPage(string patient, AsyncServiceScope scope)
    {
        SignInAs(Roles.Clinician);
        Services.AddFallbackServiceProvider(scope.ServiceProvider);
        var page = Render<PreviewPage>(p => p.Add(x => x.PatientId, patient));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=goals-summary]")));
        return page;
    }

    private static Task ClickAsync(IRenderedComponent<PreviewPage> page, string text) =>
        Button(page, text).ClickAsync(new MouseEventArgs());

    private static IElement Button(IRenderedComponent<PreviewPage> page, string text) =>
        page.FindAll("button").Single(b => b.TextContent.Trim().StartsWith(text, StringComparison.Ordinal));
}
