using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Patients;
using Amrs.Core.Utility;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Amrs.Clinic.Components.Pages.Patients;

public sealed partial class PatientPage
{
    private PatientDetails? _details;
    private ProfileVersion? _profile;
    private IReadOnlyList<ProfileVersion> _versions = [];
    private IReadOnlyList<string> _saveErrors = [];
    private string? _error;
    private bool _busy;
    private List<BreadcrumbItem> _breadcrumbs = [];

    [Parameter]
    public string PatientId { get; set; } = "";

    [Inject]
    private PatientRecord Records { get; set; } = default!;

    [Inject]
    private UtilityProfiles Profiles { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        _breadcrumbs = [new("My patients", "patients"), new(PatientId, null, disabled: true)];
        try
        {
            _details = await Records.GetAsync(PatientId);
            await LoadProfileAsync();
        }
        catch (Exception e) when (e is AccessDeniedException or PatientNotFoundException)
        {
            _error = e.Message;
        }
    }

    private async Task LoadProfileAsync()
    {
        _profile = await Profiles.CurrentAsync(PatientId);
        _versions = await Profiles.VersionsAsync(PatientId);
    }

    private async Task SaveProfileAsync((UtilityProfile Profile, string Reason) change)
    {
        _busy = true;
        try
        {
            var result = await Profiles.SaveAsync(PatientId, change.Profile, change.Reason);
            _saveErrors = result.Errors;
            if (result.Succeeded)
            {
                await LoadProfileAsync();
                Snackbar.Add($"Saved as version {result.Saved!.Version}.", Severity.Success);
            }
        }
        catch (AccessDeniedException e)
        {
            _saveErrors = [e.Message];
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RestoreAsync(ProfileVersion version)
    {
        try
        {
            var result = await Profiles.RestoreAsync(PatientId, version.Version, $"Restored version {version.Version}");
            _saveErrors = result.Errors;
            if (result.Succeeded)
            {
                await LoadProfileAsync();
                Snackbar.Add($"Version {version.Version} restored as version {result.Saved!.Version}.", Severity.Success);
            }
        }
        catch (AccessDeniedException e)
        {
            _saveErrors = [e.Message];
        }
    }

    private static string Join(IReadOnlyList<string> items) => items.Count == 0 ? "none" : string.Join(", ", items);
}
