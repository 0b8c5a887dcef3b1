using System.Security.Claims;
using Amrs.Core.Security;

namespace Amrs.Clinic.Components.Pages.Home;

/// <summary>What the home page says to each role.</summary>
public static class RoleHome
{
    public static string Heading(ClaimsPrincipal user) => PrimaryRole(user) switch
    {
        Roles.Clinician => "Clinician workspace",
        Roles.CareStaff => "Care staff: today's sessions",
        Roles.Auditor => "Audit console",
        Roles.Admin => "Administration",
        _ => "AMRS Clinic",
    };

    public static string Purpose(ClaimsPrincipal user) => PrimaryRole(user) switch
    {
        Roles.Clinician => "Set your patients' goals, preview what the policy would play, and sign playlists for delivery.",
        Roles.CareStaff => "Deliver approved sessions and record the affect you observe, track by track.",
        Roles.Auditor => "Review the tamper-evident log of everything that happened in the clinic.",
        Roles.Admin => "Issue accounts, assign patients, import data and govern the models.",
        _ => "Your account has no role yet; ask an administrator.",
    };

    /// <summary>The role whose home a person with several roles sees, most care-relevant first.</summary>
    public static string? PrimaryRole(ClaimsPrincipal user) =>
        new[] { Roles.Clinician, Roles.CareStaff, Roles.Auditor, Roles.Admin }.FirstOrDefault(user.IsInRole);
}
