using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Patients;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Amrs.Clinic.Components.Pages.Patients;

public sealed partial class MyPatients
{
    private MudTable<PatientSummary>? _table;
    private string _search = "";
    private PatientSort _sort = PatientSort.Alerts;
    private string? _error;

    [Inject]
    private PatientDirectory Directory { get; set; } = default!;

    private async Task<TableData<PatientSummary>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        try
        {
            var page = await Directory.ListAsync(new PatientQuery(_search, _sort, state.Page, state.PageSize), cancellationToken);
            return new TableData<PatientSummary> { Items = page.Rows, TotalItems = page.Total };
        }
        catch (AccessDeniedException e)
        {
            _error = e.Message;
            return new TableData<PatientSummary> { Items = [], TotalItems = 0 };
        }
    }

    private async Task SearchAsync(string value)
    {
        _search = value;
        if (_table is not null) await _table.ReloadServerData();
    }

    private async Task SortAsync(PatientSort value)
    {
        _sort = value;
        if (_table is not null) await _table.ReloadServerData();
    }
}
