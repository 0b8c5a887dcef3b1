using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Amrs.Clinic.Security;

/// <summary>
/// Re-checks an open circuit's sign-in every few minutes (<see cref="IAccountStanding"/>): a locked account, a role
/// change or a password reset ends the person's open pages. Service calls check the same at every call
/// (<see cref="CurrentUser.RequireAsync"/>), so nothing waits for this interval to refuse them.
/// </summary>
internal sealed class RevalidatingAuthenticationStateProvider(ILoggerFactory loggerFactory, IServiceScopeFactory scopeFactory)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(2);

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IAccountStanding>().StandsAsync(authenticationState.User);
    }
}
