using System.Security.Claims;
using Amrs.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Amrs.Clinic.Security;

/// <summary>
/// Whether a signed-in person's sign-in still stands: the account exists, is not locked, and its security stamp is
/// the one the sign-in was issued with (locking, a role change and a password reset each change the stamp).
/// </summary>
public interface IAccountStanding
{
    Task<bool> StandsAsync(ClaimsPrincipal principal);
}

/// <summary>
/// Reads the account as it is in the database now, on a context of its own: a page's long-lived context (and the
/// UserManager on it) may still hold the account as it was loaded when the page opened.
/// </summary>
internal sealed class AccountStanding(IDbContextFactory<ClinicDbContext> contexts, IOptions<IdentityOptions> options, TimeProvider clock)
    : IAccountStanding
{
    public async Task<bool> StandsAsync(ClaimsPrincipal principal)
    {
        var userId = principal.FindFirstValue(options.Value.ClaimsIdentity.UserIdClaimType);
        if (userId is null) return false;
        await using var db = await contexts.CreateDbContextAsync();
        var account = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.SecurityStamp, u.LockoutEnabled, u.LockoutEnd })
            .FirstOrDefaultAsync();
        if (account is null) return false;
        if (account.LockoutEnabled && account.LockoutEnd is { } end && end > clock.GetUtcNow()) return false;
        return principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType) == account.SecurityStamp;
    }
}
