using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Amrs.Clinic.Components.Shared;

public sealed partial class NumberField
{
    private string _text = "";
    private string? _error;
    private double? _shown;
    private bool _shownOnce;
    private int _revision;

    [Parameter, EditorRequired]
    public required string Id { get; set; }

    [Parameter, EditorRequired]
    public required string Label { get; set; }

    /// <summary>How the field's messages name it (default: the label).</summary>
    [Parameter]
    public string? Name { get; set; }

    [Parameter]
    public double? Value { get; set; }

    /// <summary>Called with each value that is read and in range (null: the field was emptied and may be).</summary>
    [Parameter]
    public EventCallback<double?> ValueChanged { get; set; }

    /// <summary>Called when the field's error appears, changes or goes (null).</summary>
    [Parameter]
    public EventCallback<string?> ErrorChanged { get; set; }

    [Parameter]
    public double Min { get; set; }

    [Parameter]
    public double Max { get; set; } = 1;

    /// <summary>Digits after the point when a value is shown; 0 also means only whole numbers are accepted.</summary>
    [Parameter]
    public int Decimals { get; set; } = 2;

    /// <summary>Whether the field must be filled (true: empty is an error; false: empty reports null).</summary>
    [Parameter]
    public bool Required { get; set; }

    [Parameter]
    public bool Disabled { get; set; }

    [Parameter]
    public string? HelperText { get; set; }

    [Parameter]
    public string? Class { get; set; }

    private static InputMode DecimalInput => InputMode.@decimal; // a tablet shows its number keyboard

    /// <summary>
    /// Raise it to show <see cref="Value"/> again even if it equals the last value the field reported (a tap on the
    /// plane, the mode's defaults, a slider): the typed text and its error are replaced by the value.
    /// </summary>
    [Parameter]
    public int Revision { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        // A value set from outside replaces the text and any error; the value this field reported itself does not,
        // so "0.5" stays as typed instead of becoming "0.50" mid-entry.
        if (_shownOnce && Nullable.Equals(Value, _shown) && Revision == _revision) return;
        _shownOnce = true;
        _shown = Value;
        _revision = Revision;
        _text = Format(Value, Decimals);
        await SetErrorAsync(null);
    }

    /// <summary>
    /// A readable value is reported before its error clears, so a form that waited on the error saves the new value
    /// once, not the old one first.
    /// </summary>
    private async Task TextChangedAsync(string? text)
    {
        _text = text ?? "";
        var (value, error) = Read(_text, Name ?? Label, Min, Max, Decimals, Required);
        if (error is null)
        {
            _shown = value;
            await ValueChanged.InvokeAsync(value);
        }
        await SetErrorAsync(error);
    }

    private async Task SetErrorAsync(string? error)
    {
        if (error == _error) return;
        _error = error;
        await ErrorChanged.InvokeAsync(error);
    }

    public static string Format(double? value, int decimals) =>
        value?.ToString(decimals == 0 ? "0" : "0." + new string('0', decimals), CultureInfo.InvariantCulture) ?? "";

    /// <summary>
    /// Reads typed text as a number: a point or a single comma as the decimal mark ("0.3", "0,3"), nothing else
    /// (no thousands separators, no exponent). Returns the value, or the message that says what is wrong.
    /// </summary>
    public static (double? Value, string? Error) Read(string text, string label, double min, double max, int decimals, bool required)
    {
        var trimmed = text.Trim();
        var range = string.Create(CultureInfo.InvariantCulture, $"{min:0.##} to {max:0.##}");
        if (trimmed.Length == 0)
            return required ? (null, $"{label}: enter a number from {range}.") : (null, null);
        var normalised = trimmed.Count(c => c == ',') == 1 && !trimmed.Contains('.') ? trimmed.Replace(',', '.') : trimmed;
        if (!double.TryParse(normalised, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            return (null, $"{label}: '{trimmed}' is not a number; write it like {(decimals == 0 ? "12" : "0.35")}.");
        if (decimals == 0 && value != Math.Floor(value))
            return (null, $"{label}: '{trimmed}' is not a whole number.");
        if (value < min || value > max)
            return (null, $"{label}: {trimmed} is outside {range}.");
        return (value, null);
    }
}
