using Amrs.Data.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Infrastructure;

/// <summary>
/// A service scope of the running clinic in which a real account is signed in (its principal built by the
/// clinic's own claims factory), so services are called exactly as a page of that person would call them.
/// </summary>
public static class SignedInScope
{
    public static async Task<AsyncServiceScope> ForAsync(WebApplicationFactory<Program> factory, string userName)
    {
        var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"No account {userName}.");
        var principals = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ClinicUser>>();
        var principal = await principals.CreateAsync(user);
        var authentication = (IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        authentication.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        return scope;
    }

    public static async Task<string> UserIdAsync(WebApplicationFactory<Program> factory, string userName)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        return (await users.FindByNameAsync(userName))!.Id;
    }
}
