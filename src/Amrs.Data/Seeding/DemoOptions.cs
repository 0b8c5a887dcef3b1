namespace Amrs.Data.Seeding;

/// <summary>The <c>Demo</c> section: demo accounts exist only in Development or when enabled here explicitly.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Create one account per role on an empty database. Null means "only in Development".</summary>
    public bool? Accounts { get; set; }

    /// <summary>Generate the default world (catalog, cohort, history) on an empty database.</summary>
    public bool GenerateWorld { get; set; } = true;

    /// <summary>The password of every demo account (printed on the sign-in page while demo accounts are on).</summary>
    public string Password { get; set; } = "Demo-Clinic-2026";
}
