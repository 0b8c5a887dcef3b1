using Amrs.Core.Security;
using MudBlazor;

namespace Amrs.Clinic.Components.Layout;

/// <summary>One entry of the side navigation: shown only to people whose role satisfies <see cref="Policy"/>.</summary>
public sealed record NavigationItem(string Title, string Href, string Icon, string? Policy);

/// <summary>
/// The navigation, in one list. The server checks the same policies on each page; hiding a link here is only
/// a courtesy, never the protection.
/// </summary>
public static class NavigationItems
{
    public static IReadOnlyList<NavigationItem> All { get; } =
    [
        new("Home", "", Icons.Material.Filled.Home, null),
        new("My patients", "patients", Icons.Material.Filled.People, Policies.ClinicalView),
        new("Today", "today", Icons.Material.Filled.Today, Policies.CareView),
        new("User accounts", "admin/users", Icons.Material.Filled.ManageAccounts, Policies.Administration),
        new("Patient assignment", "admin/patients", Icons.Material.Filled.AssignmentInd, Policies.Administration),
        new("Import data", "admin/import", Icons.Material.Filled.UploadFile, Policies.Administration),
        new("Model registry", "models", Icons.Material.Filled.ModelTraining, Policies.ModelView),
        new("Audit trail", "audit", Icons.Material.Filled.FactCheck, Policies.AuditReview),
        new("Approvals and signatures", "audit/approvals", Icons.Material.Filled.Draw, Policies.AuditReview),
        new("Guard refusals", "audit/refusals", Icons.Material.Filled.Block, Policies.AuditReview),
        new("Monthly report", "audit/report", Icons.Material.Filled.CalendarMonth, Policies.AuditReview),
    ];
}
