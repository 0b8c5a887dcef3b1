using System.Security.Claims;
using Amrs.Clinic.Security;
using Amrs.Core.Security;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;

namespace Amrs.Clinic.Tests.Infrastructure;

/// <summary>
/// bUnit base for clinic components: MudBlazor services, loose JS interop (MudBlazor and Plotly import modules),
/// and the clinic's real authorisation policies evaluated against a signed-in person of a chosen role.
/// </summary>
public abstract class ClinicComponentTest : BunitContext
{
    private readonly TestAuthenticationStateProvider _authentication = new();

    protected ClinicComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        // bUnit registers placeholders; the clinic's real policy evaluation replaces them.
        Services.RemoveAll<IAuthorizationService>();
        Services.RemoveAll<IAuthorizationPolicyProvider>();
        Services.RemoveAll<AuthenticationStateProvider>();
        Services.AddAuthorizationCore(options =>
        {
            foreach (var (policy, roles) in Policies.RolesFor)
                options.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
        });
        Services.AddSingleton<AuthenticationStateProvider>(_authentication);
        Services.AddCascadingAuthenticationState();
    }

    /// <summary>Signs in a person with <paramref name="roles"/> for the components rendered next.</summary>
    /// <summary>
    /// Finds an element and clicks it in one turn of the renderer. A MudBlazor input finishes a typed change
    /// asynchronously, and a render still pending from it can replace the element, with its click handler, between a
    /// find on the test thread and the click (it happened once, under load).
    /// </summary>
    protected static Task FindAndClickAsync<TComponent>(IRenderedComponent<TComponent> cut, Func<IElement> find)
        where TComponent : IComponent =>
        cut.InvokeAsync(() => find().Click());

    protected ClaimsPrincipal SignInAs(params string[] roles)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, "user-1"),
            new(ClaimTypes.Name, "test@amrs"),
            new(ClinicClaims.FullName, "Test Person"),
        };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
        _authentication.Principal = principal;
        return principal;
    }

    private sealed class TestAuthenticationStateProvider : AuthenticationStateProvider
    {
        public ClaimsPrincipal Principal { get; set; } = new(new ClaimsIdentity());

        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(Principal));
    }
}
