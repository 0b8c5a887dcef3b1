using System.Text.Json;
using Amrs.Clinic.Components.Pages.Models;
using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Governance;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Ethics;
using Amrs.Core.Security;
using Amrs.Data.Governance;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Pages.Models;

/// <summary>
/// What each role is offered on a bundle: Admins propose (or roll back) and withdraw, Clinicians sign a proposal.
/// The server refuses the rest again (ModelPromotionTests); this checks that nobody is shown a step they cannot take.
/// </summary>
public sealed class PromotionPanelTests : ClinicComponentTest
{
    public PromotionPanelTests() =>
        // Rendering never calls the registry; the steps themselves are tested against the real one.
        Services.AddSingleton(new ModelRegistry(null!, null!, null!, null!, null!, TimeProvider.System));

    [Fact]
    public void A_clinician_is_offered_the_signature_with_password_and_meaning_but_not_the_proposal_steps()
    {
        SignInAs(Roles.Clinician);

        var proposed = Render(Bundle(ModelCareStatus.Proposed)).Markup;

        Assert.Contains("Sign promotion", proposed);
        Assert.Contains(ModelRegistry.PromotionMeaning, proposed);
        Assert.Contains("type=\"password\"", proposed);
        Assert.DoesNotContain("Withdraw proposal", proposed);
        Assert.DoesNotContain("Propose for care", Render(Bundle(ModelCareStatus.Candidate)).Markup);
    }

    [Fact]
    public void An_admin_proposes_a_candidate_or_a_rollback_and_withdraws_but_never_signs()
    {
        SignInAs(Roles.Admin);

        Assert.Contains("Propose for care", Render(Bundle(ModelCareStatus.Candidate)).Markup);
        Assert.Contains("Propose rollback to this bundle", Render(Bundle(ModelCareStatus.Retired, promotedBefore: true)).Markup);
        var proposed = Render(Bundle(ModelCareStatus.Proposed)).Markup;
        Assert.Contains("Withdraw proposal", proposed);
        Assert.DoesNotContain("Sign promotion", proposed);
    }

    [Fact]
    public void A_rollback_proposal_shows_the_rollback_meaning()
    {
        SignInAs(Roles.Clinician);

        Assert.Contains(ModelRegistry.RollbackMeaning, Render(Bundle(ModelCareStatus.Proposed, promotedBefore: true)).Markup);
    }

    [Fact]
    public async Task A_signature_refused_because_the_account_was_locked_meanwhile_is_shown_and_the_page_stays()
    {
        Services.AddSingleton(sp => new ModelRegistry(
            new CurrentUser(sp.GetRequiredService<AuthenticationStateProvider>(), sp.GetRequiredService<IAuthorizationService>(), new LockedMeanwhile()),
            null!, null!, null!, null!, TimeProvider.System));
        SignInAs(Roles.Clinician);
        var panel = Render(Bundle(ModelCareStatus.Proposed));

        await FindAndClickAsync(panel, () => panel.FindAll("button").Single(b => b.TextContent.Contains("Sign promotion", StringComparison.Ordinal)));

        Assert.Contains("Your account was locked or changed", panel.Markup, StringComparison.Ordinal);
    }

    private sealed class LockedMeanwhile : IAccountStanding
    {
        public Task<bool> StandsAsync(System.Security.Claims.ClaimsPrincipal principal) => Task.FromResult(false);
    }

    private IRenderedComponent<PromotionPanel> Render(RegisteredBundle bundle) =>
        Render<PromotionPanel>(p => p.Add(c => c.Bundle, bundle));

    private static RegisteredBundle Bundle(ModelCareStatus status, bool promotedBefore = false) => RegisteredBundle.From(new ModelBundleEntity
    {
        BundleId = "bundle-test", Status = status, Location = "/nowhere", CardsJson = JsonSerializer.Serialize(Array.Empty<object>()),
        DataFingerprint = new string('a', 64), RegisteredAt = DateTimeOffset.UnixEpoch,
        PromotedAt = promotedBefore ? DateTimeOffset.UnixEpoch : null,
        ProposedByName = status == ModelCareStatus.Proposed ? "Ada Admin" : null,
    });
}
