using Amrs.Clinic.Security;
using Amrs.Data.Identity;

namespace Amrs.Clinic.Services.Audit;

/// <summary>Records account and role changes.</summary>
public sealed class UserAudit(ILogger<UserAudit> logger)
{
    public Task AccountCreatedAsync(Actor actor, ClinicUser user, IEnumerable<string> roles)
    {
        logger.LogInformation("{Actor} created account {UserName} with roles {Roles}", actor.UserName, user.UserName, string.Join(",", roles));
        return Task.CompletedTask;
    }

    public Task AccountUpdatedAsync(Actor actor, ClinicUser user, IEnumerable<string> rolesBefore, IEnumerable<string> rolesAfter)
    {
        logger.LogInformation("{Actor} updated account {UserName}: roles {Before} -> {After}", actor.UserName, user.UserName, string.Join(",", rolesBefore), string.Join(",", rolesAfter));
        return Task.CompletedTask;
    }

    public Task AccountLockedAsync(Actor actor, ClinicUser user, bool locked)
    {
        logger.LogInformation("{Actor} {Action} account {UserName}", actor.UserName, locked ? "locked" : "unlocked", user.UserName);
        return Task.CompletedTask;
    }

    public Task PasswordResetAsync(Actor actor, ClinicUser user)
    {
        logger.LogInformation("{Actor} reset the password of {UserName}", actor.UserName, user.UserName);
        return Task.CompletedTask;
    }
}
