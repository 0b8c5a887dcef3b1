using System.Security.Claims;
using Amrs.Clinic.Security;
using Amrs.Core.Audit;
using Amrs.Data.Audit;
using Amrs.Data.Identity;
using Microsoft.AspNetCore.Identity;

namespace Amrs.Clinic.Services.Audit;

/// <summary>Records sign-in (success, failure, lockout) and sign-out in the audit trail (password changes: <see cref="Users.OwnPassword"/>).</summary>
public sealed class SecurityAudit(AuditLog audit, UserManager<ClinicUser> users, TimeProvider clock)
{
    public async Task SignInAttemptAsync(string userName, SignInResult result)
    {
        var user = await users.FindByNameAsync(userName);
        var roles = user is null ? [] : await users.GetRolesAsync(user);
        var (action, outcome) = result switch
        {
            { Succeeded: true } => (AuditActions.SignIn, AuditOutcome.Success),
            { IsLockedOut: true } => (AuditActions.Lockout, AuditOutcome.Refused),
            _ => (AuditActions.SignInFailed, AuditOutcome.Refused),
        };
        await audit.AppendAsync(new AuditDraft(
            clock.GetUtcNow(),
            user?.Id ?? AuditActors.UnknownUserId,
            user?.FullName ?? "(unknown account)",
            roles.Count == 0 ? "(none)" : string.Join(",", roles),
            action,
            AuditEntityTypes.User,
            user?.Id ?? "",
            null,
            outcome,
            AuditDetails.Of(new { userName, failedAttempts = user?.AccessFailedCount })));
    }

    public async Task SignedOutAsync(ClaimsPrincipal principal)
    {
        if (CurrentUser.ToActor(principal) is not { } actor) return;
        await audit.AppendAsync(Draft(actor, AuditActions.SignOut, actor.UserId));
    }

    private AuditDraft Draft(Actor actor, string action, string entityId) =>
        new(clock.GetUtcNow(), actor.UserId, actor.FullName, actor.Role, action, AuditEntityTypes.User, entityId, null, AuditOutcome.Success);
}
