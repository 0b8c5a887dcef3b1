using Amrs.Clinic.Security;
using Amrs.Core.Audit;
using Amrs.Data.Identity;

namespace Amrs.Clinic.Services.Audit;

/// <summary>The audit entries of account and role changes made by administrators.</summary>
public sealed class UserAudit(TimeProvider clock)
{
    public AuditDraft AccountCreated(Actor actor, ClinicUser user, IEnumerable<string> roles) =>
        Draft(actor, AuditActions.UserCreated, user, new { user.UserName, user.FullName, user.CareUnit, roles });

    public AuditDraft AccountUpdated(Actor actor, ClinicUser user, IEnumerable<string> rolesBefore, IEnumerable<string> rolesAfter) =>
        Draft(actor, AuditActions.RolesChanged, user, new { user.UserName, user.FullName, user.CareUnit, rolesBefore, rolesAfter });

    public AuditDraft AccountLocked(Actor actor, ClinicUser user, bool locked) =>
        Draft(actor, locked ? AuditActions.UserLocked : AuditActions.UserUnlocked, user, new { user.UserName });

    public AuditDraft PasswordReset(Actor actor, ClinicUser user) =>
        Draft(actor, AuditActions.PasswordReset, user, new { user.UserName });

    private AuditDraft Draft<T>(Actor actor, string action, ClinicUser user, T details) where T : notnull =>
        new(clock.GetUtcNow(), actor.UserId, actor.FullName, actor.Role, action,
            AuditEntityTypes.User, user.Id, null, AuditOutcome.Success, AuditDetails.Of(details));
}
