using System.Security.Claims;
using Amrs.Clinic.Security;
using Amrs.Core.Audit;
using Amrs.Data;
using Amrs.Data.Audit;
using Amrs.Data.Identity;
using Microsoft.AspNetCore.Identity;

namespace Amrs.Clinic.Services.Users;

/// <summary>The outcome of changing one's own password: done, or why not (nothing changed).</summary>
public sealed record PasswordChangeResult(bool Succeeded, IReadOnlyList<string> Errors);

/// <summary>
/// A person changes their own password. A wrong current password counts toward the account's lockout, as at sign-in
/// and at signing (the same password signs). The new password, the end of a one-time password's must-change mark and
/// the audit entry are committed in one transaction; a refusal is audited on its own.
/// </summary>
public sealed class OwnPassword(UserManager<ClinicUser> users, ClinicDbContext db, AuditLog auditLog, TimeProvider clock)
{
    public async Task<PasswordChangeResult> ChangeAsync(ClaimsPrincipal principal, string currentPassword, string newPassword)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null) return new(false, ["Your account could not be found. Sign in again."]);
        if (await users.IsLockedOutAsync(user))
            return await RefusedAsync(user, "This account is locked; ask an administrator.", "account locked");
        if (!await users.CheckPasswordAsync(user, currentPassword))
        {
            await users.AccessFailedAsync(user);
            return await RefusedAsync(user, await users.IsLockedOutAsync(user)
                ? "The current password is not correct, and the account is now locked after repeated wrong passwords."
                : "The current password is not correct.", "wrong current password");
        }

        try
        {
            return await auditLog.RecordWithinAsync(db, async () =>
            {
                Check(await users.ChangePasswordAsync(user, currentPassword, newPassword));
                var oneTime = await users.MarksAsync(user);
                if (oneTime.Count > 0) Check(await users.RemoveClaimsAsync(user, oneTime));
                Check(await users.ResetAccessFailedCountAsync(user));
                return ((IReadOnlyList<AuditDraft>)[await DraftAsync(user, AuditOutcome.Success, null)], new PasswordChangeResult(true, []));
            });
        }
        catch (IdentityRefusedException e)
        {
            db.ChangeTracker.Clear();
            return await RefusedAsync(user, string.Join(" ", e.Errors), "new password refused by the password rules");
        }
    }

    private async Task<PasswordChangeResult> RefusedAsync(ClinicUser user, string message, string reason)
    {
        await auditLog.AppendAsync(await DraftAsync(user, AuditOutcome.Refused, reason));
        return new(false, [message]);
    }

    private async Task<AuditDraft> DraftAsync(ClinicUser user, AuditOutcome outcome, string? reason)
    {
        var roles = await users.GetRolesAsync(user);
        return new AuditDraft(clock.GetUtcNow(), user.Id, user.FullName, roles.Count == 0 ? "(none)" : string.Join(",", roles),
            AuditActions.PasswordChanged, AuditEntityTypes.User, user.Id, null, outcome,
            reason is null ? AuditDetails.Empty : AuditDetails.Of(new { reason }));
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new IdentityRefusedException(result.Errors.Select(e => e.Description).ToList());
    }
}
