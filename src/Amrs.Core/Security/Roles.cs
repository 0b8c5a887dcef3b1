namespace Amrs.Core.Security;

/// <summary>The four roles of the clinic. Seeded in code; pages and services check them on the server.</summary>
public static class Roles
{
    public const string Clinician = "Clinician";
    public const string CareStaff = "CareStaff";
    public const string Auditor = "Auditor";
    public const string Admin = "Admin";

    public static IReadOnlyList<string> All { get; } = [Clinician, CareStaff, Auditor, Admin];

    /// <summary>Human-readable name of a role, for the navigation and user management.</summary>
    public static string DisplayName(string role) => role switch
    {
        CareStaff => "Care staff",
        _ => role,
    };
}
