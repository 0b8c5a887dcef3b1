using System.Security.Claims;
using Amrs.Data.Identity;
using Microsoft.AspNetCore.Identity;

namespace Amrs.Clinic.Security;

/// <summary>
/// The mark an account carries while its password is a one-time password an Admin set (<see cref="ClinicClaims.PasswordMustChange"/>,
/// stored as a user claim): read at sign-in and at every signature, set by the Admin, removed when the person chooses their own.
/// </summary>
public static class OneTimePasswords
{
    public static async Task<bool> IsMarkedAsync(this UserManager<ClinicUser> users, ClinicUser user) =>
        (await MarksAsync(users, user)).Count > 0;

    /// <summary>The mark's claims on the account (none, or one; a list so removing them needs no special case).</summary>
    public static async Task<IReadOnlyList<Claim>> MarksAsync(this UserManager<ClinicUser> users, ClinicUser user) =>
        (await users.GetClaimsAsync(user)).Where(c => c.Type == ClinicClaims.PasswordMustChange).ToList();

    public static Claim NewMark() => new(ClinicClaims.PasswordMustChange, "true");
}
