using System.Security.Claims;
using Amrs.Data.Identity;
using Microsoft.AspNetCore.Identity;

namespace Amrs.Clinic.Services.Audit;

/// <summary>Records sign-in, sign-out and password events.</summary>
public sealed class SecurityAudit(ILogger<SecurityAudit> logger)
{
    public Task SignInAttemptAsync(string userName, SignInResult result)
    {
        var outcome = result.Succeeded ? "succeeded" : result.IsLockedOut ? "locked out" : "failed";
        logger.LogInformation("Sign-in {Outcome} for {UserName}", outcome, userName);
        return Task.CompletedTask;
    }

    public Task SignedOutAsync(ClaimsPrincipal user)
    {
        logger.LogInformation("Signed out: {UserName}", user.Identity?.Name);
        return Task.CompletedTask;
    }

    public Task PasswordChangedAsync(ClinicUser user, bool succeeded)
    {
        logger.LogInformation("Password change {Outcome} for {UserName}", succeeded ? "succeeded" : "failed", user.UserName);
        return Task.CompletedTask;
    }
}
