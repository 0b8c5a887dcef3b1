using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace Amrs.Clinic.Security;

/// <summary>Who is calling, as the server sees it.</summary>
/// <remarks><see cref="Role"/> lists every role the person holds, comma-separated, as audit entries record it.</remarks>
public sealed record Actor(string UserId, string UserName, string FullName, string Role, string? CareUnit, ClaimsPrincipal Principal)
{
    /// <summary>
    /// The role a clinical signature is made in: Clinician for a user who holds it, whatever other roles they hold
    /// (<see cref="Role"/> lists them all, which the guard would not accept as a clinician's signature).
    /// </summary>
    public string SigningRole => Principal.IsInRole(Core.Security.Roles.Clinician) ? Core.Security.Roles.Clinician : Role;
}

/// <summary>
/// The signed-in person behind a service call, and the server-side check every service method makes before it
/// does anything: pages hide what a role may not use, services refuse it.
/// </summary>
public sealed class CurrentUser(AuthenticationStateProvider authenticationState, IAuthorizationService authorization, IAccountStanding standing)
{
    /// <summary>The caller, or an <see cref="AccessDeniedException"/> when nobody is signed in.</summary>
    public async Task<Actor> GetAsync()
    {
        var principal = (await authenticationState.GetAuthenticationStateAsync()).User;
        return ToActor(principal) ?? throw new AccessDeniedException("Sign in first.");
    }

    /// <summary>
    /// Returns the caller if their role satisfies <paramref name="policy"/> and their account still stands as it was
    /// when they signed in (not locked, roles and password unchanged; read from the database at every call, so an
    /// Admin's lock or role change holds at once, not at the page's next revalidation); refuses otherwise.
    /// </summary>
    public async Task<Actor> RequireAsync(string policy)
    {
        var actor = await GetAsync();
        var result = await authorization.AuthorizeAsync(actor.Principal, policy);
        if (!result.Succeeded)
            throw new AccessDeniedException($"Your role ({actor.Role}) may not do this ({policy}).");
        if (!await standing.StandsAsync(actor.Principal))
            throw new AccessDeniedException("Your account was locked or changed (roles or password) since you signed in: sign in again.");
        return actor;
    }

    public static Actor? ToActor(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (id is null) return null;
        var name = principal.Identity.Name ?? id;
        var roles = Core.Security.Roles.All.Where(principal.IsInRole).ToList();
        var role = roles.Count == 0 ? "(none)" : string.Join(",", roles);
        return new Actor(id, name, principal.FindFirstValue(ClinicClaims.FullName) ?? name, role,
            principal.FindFirstValue(ClinicClaims.CareUnit), principal);
    }
}

/// <summary>The server refused a call because of who is calling. Pages show the message as it is.</summary>
public sealed class AccessDeniedException(string message) : Exception(message);
