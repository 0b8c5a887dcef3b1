using Amrs.Core.Security;

namespace Amrs.Data.Seeding;

/// <summary>One demo account per role. Care units match the generated cohort's units.</summary>
public static class DemoAccounts
{
    public sealed record Account(string UserName, string FullName, string Role, string? CareUnit);

    public static IReadOnlyList<Account> All { get; } =
    [
        new("clinician@demo.amrs", "Dr. Dana Clinician", Roles.Clinician, "Unit A"),
        new("care@demo.amrs", "Casey Carer", Roles.CareStaff, "Unit A"),
        new("auditor@demo.amrs", "Avery Auditor", Roles.Auditor, null),
        new("admin@demo.amrs", "Alex Admin", Roles.Admin, null),
    ];

    public static Account For(string role) => All.Single(a => a.Role == role);
}
