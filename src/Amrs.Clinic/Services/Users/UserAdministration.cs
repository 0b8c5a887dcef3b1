using System.Security.Cryptography;
using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Audit;
using Amrs.Clinic.Services.Patients;
using Amrs.Core.Audit;
using Amrs.Core.Security;
using Amrs.Data;
using Amrs.Data.Audit;
using Amrs.Data.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Clinic.Services.Users;

public sealed record UserSummary(
    string Id, string UserName, string FullName, IReadOnlyList<string> Roles, string? CareUnit,
    bool IsLocked, DateTimeOffset? LockoutEnd, int FailedAttempts);

public sealed record NewAccount(string UserName, string FullName, IReadOnlyList<string> Roles, string? CareUnit);

/// <summary>The outcome of an account operation: done (maybe with a one-time password to hand over) or refused with reasons.</summary>
public sealed record AccountResult(bool Succeeded, IReadOnlyList<string> Errors, string? TemporaryPassword = null)
{
    public static AccountResult Ok(string? temporaryPassword = null) => new(true, [], temporaryPassword);
    public static AccountResult Refused(params string[] errors) => new(false, errors);
}

/// <summary>
/// Accounts are issued by an Admin: create, assign roles and care unit, lock and unlock, reset a password.
/// Every method checks the caller's role on the server, and each change is committed in one transaction with its
/// audit entry (UserManager and the audit log share the scoped context).
/// </summary>
public sealed class UserAdministration(
    CurrentUser currentUser,
    UserManager<ClinicUser> users,
    ClinicDbContext db,
    AuditLog auditLog,
    UserAudit audit,
    TimeProvider clock)
{
    public async Task<IReadOnlyList<UserSummary>> ListAsync()
    {
        await currentUser.RequireAsync(Policies.Administration);
        var all = await users.Users.AsNoTracking().OrderBy(u => u.FullName).ToListAsync();
        var now = clock.GetUtcNow();
        var result = new List<UserSummary>(all.Count);
        foreach (var user in all)
        {
            var roles = await users.GetRolesAsync(user);
            result.Add(new UserSummary(user.Id, user.UserName ?? "", user.FullName, roles.Order().ToList(), user.CareUnit,
                user.LockoutEnd is { } end && end > now, user.LockoutEnd, user.AccessFailedCount));
        }
        return result;
    }

    public async Task<AccountResult> CreateAsync(NewAccount account)
    {
        var actor = await currentUser.RequireAsync(Policies.Administration);
        var errors = Validate(account.FullName, account.Roles, account.CareUnit).ToList();
        var userName = account.UserName.Trim();
        if (userName.Length is < 3 or > 100) errors.Add("User name: give 3 to 100 characters, for example an e-mail address.");
        else if (await users.FindByNameAsync(userName) is not null) errors.Add($"User name: '{userName}' is already taken.");
        if (errors.Count > 0) return AccountResult.Refused([.. errors]);

        var password = TemporaryPassword();
        var user = new ClinicUser
        {
            UserName = userName,
            Email = userName.Contains('@', StringComparison.Ordinal) ? userName : null,
            EmailConfirmed = true,
            FullName = account.FullName.Trim(),
            CareUnit = NeedsCareUnit(account.Roles) ? account.CareUnit?.Trim() : null,
            CreatedAt = clock.GetUtcNow(),
            LockoutEnabled = true,
        };
        return await InTransactionAsync(async () =>
        {
            Check(await users.CreateAsync(user, password));
            Check(await users.AddToRolesAsync(user, account.Roles.Distinct()));
            await MarkOneTimeAsync(user);
            return ([audit.AccountCreated(actor, user, account.Roles)], AccountResult.Ok(password));
        });
    }

    public async Task<AccountResult> UpdateAsync(string userId, string fullName, IReadOnlyList<string> roles, string? careUnit)
    {
        var actor = await currentUser.RequireAsync(Policies.Administration);
        var user = await users.FindByIdAsync(userId);
        if (user is null) return AccountResult.Refused("That account no longer exists.");
        var errors = Validate(fullName, roles, careUnit).ToList();
        var before = (await users.GetRolesAsync(user)).Order().ToList();
        // Nobody grants themselves a role (an Admin who made themselves a Clinician could assign patients to
        // themselves and sign) or takes their own Admin role away: another administrator changes your roles.
        if (user.Id == actor.UserId && !before.ToHashSet().SetEquals(roles))
            errors.Add("Roles: you cannot change your own roles; ask another administrator.");
        if (errors.Count > 0) return AccountResult.Refused([.. errors]);

        return await InTransactionAsync(async () =>
        {
            user.FullName = fullName.Trim();
            user.CareUnit = NeedsCareUnit(roles) ? careUnit?.Trim() : null;
            Check(await users.UpdateAsync(user));
            var removed = before.Except(roles).ToList();
            var added = roles.Except(before).Distinct().ToList();
            if (removed.Count > 0) Check(await users.RemoveFromRolesAsync(user, removed));
            if (added.Count > 0) Check(await users.AddToRolesAsync(user, added));
            Check(await users.UpdateSecurityStampAsync(user)); // ends the person's open pages
            return ([audit.AccountUpdated(actor, user, before, roles)], AccountResult.Ok());
        });
    }

    public async Task<AccountResult> LockAsync(string userId)
    {
        var actor = await currentUser.RequireAsync(Policies.Administration);
        var user = await users.FindByIdAsync(userId);
        if (user is null) return AccountResult.Refused("That account no longer exists.");
        if (user.Id == actor.UserId) return AccountResult.Refused("You cannot lock your own account.");
        return await InTransactionAsync(async () =>
        {
            Check(await users.SetLockoutEnabledAsync(user, true));
            Check(await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue));
            Check(await users.UpdateSecurityStampAsync(user));
            return ([audit.AccountLocked(actor, user, locked: true)], AccountResult.Ok());
        });
    }

    public async Task<AccountResult> UnlockAsync(string userId)
    {
        var actor = await currentUser.RequireAsync(Policies.Administration);
        var user = await users.FindByIdAsync(userId);
        if (user is null) return AccountResult.Refused("That account no longer exists.");
        return await InTransactionAsync(async () =>
        {
            Check(await users.SetLockoutEndDateAsync(user, null));
            Check(await users.ResetAccessFailedCountAsync(user));
            return ([audit.AccountLocked(actor, user, locked: false)], AccountResult.Ok());
        });
    }

    /// <summary>Sets a new one-time password, shown once to the Admin to hand over; open sessions end.</summary>
    public async Task<AccountResult> ResetPasswordAsync(string userId)
    {
        var actor = await currentUser.RequireAsync(Policies.Administration);
        var user = await users.FindByIdAsync(userId);
        if (user is null) return AccountResult.Refused("That account no longer exists.");
        if (user.Id == actor.UserId) return AccountResult.Refused("Use Change password for your own account.");
        var password = TemporaryPassword();
        var token = await users.GeneratePasswordResetTokenAsync(user);
        return await InTransactionAsync(async () =>
        {
            Check(await users.ResetPasswordAsync(user, token, password));
            await MarkOneTimeAsync(user);
            return ([audit.PasswordReset(actor, user)], AccountResult.Ok(password));
        });
    }

    /// <summary>The password just set is one the Admin saw: the person must change it before signing anything.</summary>
    private async Task MarkOneTimeAsync(ClinicUser user)
    {
        var earlier = await users.MarksAsync(user);
        if (earlier.Count > 0) Check(await users.RemoveClaimsAsync(user, earlier));
        Check(await users.AddClaimAsync(user, OneTimePasswords.NewMark()));
    }

    public static bool NeedsCareUnit(IEnumerable<string> roles) =>
        roles.Any(r => r is Roles.Clinician or Roles.CareStaff);

    /// <summary>One transaction for the change and its audit entry; an Identity refusal rolls everything back.</summary>
    private async Task<AccountResult> InTransactionAsync(Func<Task<(IReadOnlyList<AuditDraft>, AccountResult)>> change)
    {
        try
        {
            return await auditLog.RecordWithinAsync(db, change);
        }
        catch (IdentityRefusedException e)
        {
            db.ChangeTracker.Clear();
            return AccountResult.Refused([.. e.Errors]);
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new IdentityRefusedException(result.Errors.Select(e => e.Description).ToList());
    }

    private static IEnumerable<string> Validate(string fullName, IReadOnlyList<string> roles, string? careUnit)
    {
        if (string.IsNullOrWhiteSpace(fullName))
            yield return "Full name: required (it is printed on signatures).";
        else if (fullName.Trim().Length > 200)
            yield return $"Full name: at most 200 characters (this one has {fullName.Trim().Length}).";
        if (roles.Count == 0)
            yield return "Roles: choose at least one role.";
        foreach (var unknown in roles.Where(r => !Roles.All.Contains(r)))
            yield return $"Roles: '{unknown}' is not a role; choose from {string.Join(", ", Roles.All)}.";
        if (NeedsCareUnit(roles) && string.IsNullOrWhiteSpace(careUnit))
            yield return "Care unit: clinicians and care staff belong to a care unit.";
        if (careUnit is not null && careUnit.Trim().Length > PatientAssignments.MaxCareUnitLength)
            yield return $"Care unit: at most {PatientAssignments.MaxCareUnitLength} characters (patients' care units are no longer).";
    }

    /// <summary>A random password that satisfies the password policy, for the Admin to hand over once.</summary>
    internal static string TemporaryPassword()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", lower = "abcdefghijkmnpqrstuvwxyz", digits = "23456789";
        const string all = upper + lower + digits;
        var chars = new char[16];
        chars[0] = upper[RandomNumberGenerator.GetInt32(upper.Length)];
        chars[1] = lower[RandomNumberGenerator.GetInt32(lower.Length)];
        chars[2] = digits[RandomNumberGenerator.GetInt32(digits.Length)];
        for (var i = 3; i < chars.Length; i++) chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }

}
