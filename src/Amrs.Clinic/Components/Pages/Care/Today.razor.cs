using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Delivery;
using Amrs.Clinic.Services.Patients;
using Amrs.Core.Affect;
using Microsoft.AspNetCore.Components;

namespace Amrs.Clinic.Components.Pages.Care;

public sealed partial class Today
{
    private IReadOnlyList<TodayItem>? _items;
    private Guid? _starting;
    private AffectPoint? _baseline;
    private string? _baselineError;
    private string? _error;
    private string? _startError;
    private bool _busy;

    [Inject]
    private DeliveryService Deliveries { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        try
        {
            _items = await Deliveries.TodayAsync();
        }
        catch (AccessDeniedException e)
        {
            _error = e.Message;
        }
    }

    private void ChooseToStart(TodayItem item)
    {
        _starting = item.ApprovalId;
        _baseline = null;
        _baselineError = null;
        _startError = null;
    }

    private void CancelStart()
    {
        _starting = null;
        _startError = null;
    }

    private async Task BeginAsync(TodayItem item)
    {
        if (_baseline is not { } baseline || _baselineError is not null) return;
        _busy = true;
        try
        {
            var result = await Deliveries.StartAsync(item.ApprovalId, baseline);
            if (result.DeliveryId is { } started)
            {
                Navigation.NavigateTo($"sessions/{started}");
                return;
            }
            _startError = result.Refusal;
            if (result.RunningDeliveryId is not null) _items = await Deliveries.TodayAsync();
        }
        catch (Exception e) when (e is AccessDeniedException or PatientNotFoundException)
        {
            _startError = e.Message;
        }
        finally
        {
            _busy = false;
        }
    }
}
