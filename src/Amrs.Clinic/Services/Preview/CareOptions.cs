using System.ComponentModel.DataAnnotations;

namespace Amrs.Clinic.Services.Preview;

/// <summary>The <c>Care</c> section of appsettings.json.</summary>
public sealed class CareOptions
{
    public const string Section = "Care";

    /// <summary>How many days an approval holds from its scheduled date.</summary>
    [Range(1, 90, ErrorMessage = "Care:ApprovalValidityDays must be between 1 and 90 days.")]
    public int ApprovalValidityDays { get; set; } = 7;
}
