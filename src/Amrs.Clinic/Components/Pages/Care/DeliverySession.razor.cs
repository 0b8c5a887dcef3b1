using System.Globalization;
using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Delivery;
using Amrs.Clinic.Services.Patients;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Amrs.Clinic.Components.Pages.Care;

/// <summary>
/// Runs a delivered session on a tablet. Everything shown comes from the database (the service), so a reopened
/// page (lost connection, closed tab) continues at the current track with the latest observations.
/// </summary>
public sealed partial class DeliverySession : IDisposable
{
    private DeliveryView? _view;
    private TrackStopwatch _stopwatch = default!;
    private ITimer? _tick;
    private int _editing;
    private string? _error;
    private string? _notice;
    private string? _closingNote;
    private bool _busy;
    private List<BreadcrumbItem> _breadcrumbs = [];

    [Parameter]
    public Guid DeliveryId { get; set; }

    [Inject]
    private DeliveryService Deliveries { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private string Heading => _view is null ? "Session" : $"Session for patient {_view.PatientId}";

    private DeliveryTrack? EditingTrack => _view is not null && _editing < _view.Tracks.Count && _editing <= _view.CurrentPosition
        ? _view.Tracks[_editing]
        : null;

    private bool CurrentHasEngagement => _view?.ObservationAt(_view.CurrentPosition).Engagement is not null;

    protected override void OnInitialized() => _stopwatch = new TrackStopwatch(Clock);

    protected override async Task OnParametersSetAsync()
    {
        _breadcrumbs = [new("Today", "today"), new("Session", null, disabled: true)];
        await RunAsync(async () =>
        {
            _view = await Deliveries.GetAsync(DeliveryId);
            _editing = _view.CurrentPosition;
        });
    }

    private async Task<SaveResult> SaveAsync(TrackObservation observation)
    {
        var position = _editing;
        try
        {
            var result = await Deliveries.SaveTrackAsync(DeliveryId, position, observation);
            if (result.Saved)
            {
                // The save came from the form's event: this page renders again only when told (progress, Next).
                _view = await Deliveries.GetAsync(DeliveryId);
                StateHasChanged();
            }
            return result;
        }
        catch (AccessDeniedException e)
        {
            return SaveResult.Refused(e.Message);
        }
    }

    private Task NextAsync() => MoveAsync(() => Deliveries.AdvanceAsync(DeliveryId, _view!.Revision));

    private Task SkipAsync() => MoveAsync(() => Deliveries.SkipAsync(DeliveryId, _view!.Revision));

    private Task MoveAsync(Func<Task<MoveResult>> move) => RunAsync(async () =>
    {
        var result = await move();
        _view = result.Session;
        _notice = result.Error;
        _editing = _view.CurrentPosition;
        if (result.Moved)
        {
            _stopwatch.Reset();
            StopTicking();
        }
    });

    private Task StopAsync(string reason) => RunAsync(async () =>
    {
        var result = await Deliveries.StopNowAsync(DeliveryId, reason);
        _notice = result.Error;
        _view = await Deliveries.GetAsync(DeliveryId);
        StopTicking();
    });

    private Task CompleteAsync() => RunAsync(async () =>
    {
        var result = await Deliveries.CompleteAsync(DeliveryId, _closingNote);
        _notice = result.Error;
        _view = await Deliveries.GetAsync(DeliveryId);
    });

    private Task CorrectAsync(int position)
    {
        _editing = position;
        return Task.CompletedTask;
    }

    private void StartTimer()
    {
        _stopwatch.Start();
        _tick ??= Clock.CreateTimer(_ => _ = InvokeAsync(StateHasChanged), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    private void PauseTimer()
    {
        _stopwatch.Pause();
        StopTicking();
    }

    private void ResetTimer()
    {
        _stopwatch.Reset();
        StopTicking();
    }

    private void StopTicking()
    {
        _tick?.Dispose();
        _tick = null;
    }

    private async Task RunAsync(Func<Task> action)
    {
        _busy = true;
        try
        {
            await action();
        }
        catch (Exception e) when (e is AccessDeniedException or PatientNotFoundException or DeliveryNotFoundException)
        {
            _error = e.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private static string Duration(double? seconds) =>
        seconds is { } s ? TrackStopwatch.Format(TimeSpan.FromSeconds(s)) : "duration unknown";

    public void Dispose() => StopTicking();

    internal static string Time(DateTimeOffset instant) => instant.ToLocalTime().ToString("HH:mm", CultureInfo.InvariantCulture);
}
