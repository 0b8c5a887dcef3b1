namespace Amrs.Clinic.Security;

/// <summary>Claims the clinic adds to a signed-in person, beyond Identity's own.</summary>
public static class ClinicClaims
{
    public const string FullName = "amrs:full_name";
    public const string CareUnit = "amrs:care_unit";
}
