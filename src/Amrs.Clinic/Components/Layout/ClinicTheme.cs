using MudBlazor;

namespace Amrs.Clinic.Components.Layout;

/// <summary>The clinic's colours: calm, and every text/background pair meets WCAG AA contrast.</summary>
public static class ClinicTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5f8b",
            Secondary = "#6a3d9a",
            Tertiary = "#2e7d32",
            AppbarBackground = "#1f5f8b",
            Error = "#b3261e",
            Warning = "#8a5300",
            Success = "#2e7d32",
            Info = "#1f5f8b",
            TextSecondary = "rgba(0,0,0,0.70)",
            ActionDefault = "rgba(0,0,0,0.70)",
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "240px" },
    };
}
