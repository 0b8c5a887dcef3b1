namespace Amrs.Clinic.Security;

/// <summary>Claims the clinic adds to a signed-in person, beyond Identity's own.</summary>
public static class ClinicClaims
{
    public const string FullName = "amrs:full_name";
    public const string CareUnit = "amrs:care_unit";

    /// <summary>
    /// Stored with the account (not only in a sign-in) while its password is a one-time password an Admin set: the
    /// person must choose their own before they may sign anything, so an Admin who knows it cannot sign as them.
    /// </summary>
    public const string PasswordMustChange = "amrs:password_must_change";
}
