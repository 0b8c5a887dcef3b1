using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Patients;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Amrs.Clinic.Components.Pages.Admin;

public sealed partial class Assignments
{
    /// <summary>The select's value for "no clinician" (MudSelect needs a non-null value to show a choice).</summary>
    private const string NoClinician = "";

    private MudTable<PatientAssignment>? _table;
    private IReadOnlyList<ClinicianChoice> _clinicians = [];
    private HashSet<PatientAssignment> _selected = [];
    private string _clinicianId = NoClinician;
    private string? _careUnit;
    private string _search = "";
    private bool _onlyUnassigned;
    private List<string> _errors = [];
    private string? _notice;
    private bool _busy;

    [Inject]
    private PatientAssignments Service { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        try
        {
            _clinicians = await Service.CliniciansAsync();
        }
        catch (AccessDeniedException e)
        {
            _errors = [e.Message];
        }
    }

    private async Task<TableData<PatientAssignment>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        try
        {
            var page = await Service.ListAsync(new AssignmentQuery(_search, _onlyUnassigned, state.Page, state.PageSize), cancellationToken);
            return new TableData<PatientAssignment> { Items = page.Rows, TotalItems = page.Total };
        }
        catch (AccessDeniedException e)
        {
            _errors = [e.Message];
            return new TableData<PatientAssignment> { Items = [], TotalItems = 0 };
        }
    }

    /// <summary>Choosing a clinician proposes their own care unit; the Admin may still type another.</summary>
    private void ClinicianChanged(string userId)
    {
        _clinicianId = userId;
        if (_clinicians.FirstOrDefault(c => c.UserId == userId) is { CareUnit: { } unit }) _careUnit = unit;
    }

    private async Task AssignAsync()
    {
        _busy = true;
        _errors = [];
        _notice = null;
        try
        {
            var ids = _selected.Select(p => p.PatientId).ToList();
            var result = await Service.AssignAsync(ids, _clinicianId == NoClinician ? null : _clinicianId, _careUnit);
            if (!result.Succeeded)
            {
                _errors = [.. result.Errors];
                return;
            }
            var who = _clinicians.FirstOrDefault(c => c.UserId == _clinicianId)?.FullName ?? "no clinician";
            _notice = $"{result.Changed} of {ids.Count} patients changed: now with {who}, care unit {(string.IsNullOrWhiteSpace(_careUnit) ? "none" : _careUnit.Trim())}.";
            _selected = [];
            if (_table is not null) await _table.ReloadServerData();
        }
        catch (AccessDeniedException e)
        {
            _errors = [e.Message];
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SearchAsync(string value)
    {
        _search = value;
        if (_table is not null) await _table.ReloadServerData();
    }

    private async Task OnlyUnassignedAsync(bool value)
    {
        _onlyUnassigned = value;
        if (_table is not null) await _table.ReloadServerData();
    }
}
