using Amrs.Clinic.Services.Preview;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Amrs.Clinic.Components.Pages.Preview;

public sealed partial class ApprovalPanel
{
    private DateTime? _scheduledFor = DateTime.Now.Date; // the clinic's day: the server's local time zone (ClinicDay)
    private MudDatePicker? _datePicker;
    private IReadOnlyList<string>? _refused;
    private string? _notes;
    private string _password = "";
    private bool _meaningConfirmed;
    private string? _reason;

    /// <summary>Why this list cannot be signed now (not simulated as shown, simulation only, already signed, not the responsible clinician); null when it can.</summary>
    [Parameter]
    public string? WhyNot { get; set; }

    [Parameter]
    public bool Busy { get; set; }

    [Parameter]
    public IReadOnlyList<string> Errors { get; set; } = [];

    [Parameter]
    public int ValidityDays { get; set; } = 7;

    [Parameter, EditorRequired]
    public required EventCallback<SignatureRequest> OnApprove { get; set; }

    [Parameter, EditorRequired]
    public required EventCallback<string> OnReject { get; set; }

    /// <summary>This panel's own refusal (a date it cannot read) or else the page's errors from the last attempt.</summary>
    private IReadOnlyList<string> ShownErrors => _refused ?? Errors;

    private async Task ApproveAsync()
    {
        var password = _password;
        _password = ""; // never kept on the page longer than the attempt
        // Never a date the clinician did not give: an empty field, or text that is not a date, signs nothing.
        if (_scheduledFor is not { } scheduledFor || _datePicker?.ConversionError == true)
        {
            _refused = ["Scheduled for: enter the date the list is for, as YYYY-MM-DD (or pick it from the calendar)."];
            return;
        }
        _refused = null;
        await OnApprove.InvokeAsync(new SignatureRequest(password, _meaningConfirmed, DateOnly.FromDateTime(scheduledFor), _notes));
    }

    private Task RejectAsync()
    {
        _refused = null;
        return OnReject.InvokeAsync(_reason ?? "");
    }
}
