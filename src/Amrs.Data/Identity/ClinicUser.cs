using Microsoft.AspNetCore.Identity;

namespace Amrs.Data.Identity;

/// <summary>
/// A person who signs in. Accounts are issued by an Admin; there is no self-registration.
/// </summary>
public sealed class ClinicUser : IdentityUser
{
    /// <summary>The person's full name as printed on electronic signatures (21 CFR 11.50).</summary>
    [PersonalData]
    public string FullName { get; set; } = "";

    /// <summary>The care unit of a clinician or care-staff member; null for auditors and admins.</summary>
    public string? CareUnit { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
