using Amrs.Clinic.Security;
using Amrs.Data.Identity;
using Microsoft.AspNetCore.Identity;

namespace Amrs.Clinic.Services.Signatures;

/// <summary>The outcome of re-entering a password to sign: accepted, or why not (with the words for the page and the audit).</summary>
public sealed record PasswordCheck(bool Succeeded, bool LockedOut, bool OneTimePassword = false)
{
    /// <summary>What the person is told when the signature is refused; nothing was signed.</summary>
    public string Refusal =>
        OneTimePassword ? "Your password is still the one-time password an administrator set: change it (your name > Change password) before you sign; nothing was signed."
        : LockedOut ? "Your account is now locked after repeated wrong passwords; nothing was signed."
        : "The password is not correct; nothing was signed.";

    /// <summary>The reason recorded in the audit entry of a refused signature.</summary>
    public string AuditReason =>
        OneTimePassword ? "one-time password not yet changed"
        : LockedOut ? "account locked after repeated wrong passwords"
        : "wrong password at signing";
}

/// <summary>
/// An electronic signature's second component (21 CFR 11.200): the signer enters their password again. Wrong
/// passwords count toward the account's lockout like failed sign-ins. Nobody signs with a one-time password an Admin
/// set (the Admin knows it). Used by every signature in the clinic.
/// </summary>
public sealed class SignaturePassword(UserManager<ClinicUser> users, SignInManager<ClinicUser> signIn)
{
    public async Task<PasswordCheck> CheckAsync(Actor signer, string password)
    {
        if (string.IsNullOrEmpty(password)) return new PasswordCheck(false, false);
        var user = await users.FindByIdAsync(signer.UserId);
        if (user is not null && await users.IsMarkedAsync(user))
            return new PasswordCheck(false, false, OneTimePassword: true);
        var result = user is null ? SignInResult.Failed : await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        return new PasswordCheck(result.Succeeded, result.IsLockedOut);
    }
}
