using System.Globalization;
using Amrs.Core.Affect;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Amrs.Clinic.Components.Shared;

public sealed partial class ValenceArousalPicker
{
    [Parameter, EditorRequired]
    public required string Id { get; set; }

    [Parameter, EditorRequired]
    public required string Label { get; set; }

    [Parameter]
    public AffectPoint? Value { get; set; }

    /// <summary>
    /// Called with each complete point (a tap, or both numbers read and in range), and with null when both numbers are
    /// emptied and the picker is not <see cref="Required"/>. Never with a point made up from one number or a bad one.
    /// </summary>
    [Parameter]
    public EventCallback<AffectPoint?> ValueChanged { get; set; }

    /// <summary>Called when what is typed stops being a point (the message says why) and when it is one again (null).</summary>
    [Parameter]
    public EventCallback<string?> ErrorChanged { get; set; }

    /// <summary>Whether a point must be given (false: both numbers may be left empty).</summary>
    [Parameter]
    public bool Required { get; set; }

    /// <summary>A second point to show for orientation (for example the patient's state before the music).</summary>
    [Parameter]
    public AffectPoint? Reference { get; set; }

    [Parameter]
    public int Size { get; set; } = 240;

    [Parameter]
    public bool Disabled { get; set; }

    /// <summary>Raise it to show <see cref="Value"/> again even if it equals the last point reported (see <see cref="NumberField.Revision"/>).</summary>
    [Parameter]
    public int Revision { get; set; }

    private int _parentRevision;
    private int _fieldRevision; // raised whenever the fields must show the point again, whatever they hold
    private double? _valence;
    private double? _arousal;
    private readonly string?[] _fieldErrors = new string?[2];
    private string? _error;
    private AffectPoint? _reported;
    private bool _shownOnce;

    /// <summary>Maps a click at pixel offsets inside a square of <paramref name="size"/> pixels to affect (arousal grows upward).</summary>
    public static AffectPoint FromOffset(double offsetX, double offsetY, int size) =>
        new AffectPoint(Math.Round(offsetX / size, 2), Math.Round(1 - offsetY / size, 2)).Clamp();

    protected override async Task OnParametersSetAsync()
    {
        if (_shownOnce && Nullable.Equals(Value, _reported) && Revision == _parentRevision) return;
        _shownOnce = true;
        _reported = Value;
        _parentRevision = Revision;
        (_valence, _arousal) = (Value?.Valence, Value?.Arousal);
        _fieldRevision++;
        Array.Clear(_fieldErrors);
        await SetErrorAsync(null);
    }

    /// <summary>The pair's own problem (one number without the other), shown under the fields; their own errors show on them.</summary>
    private string? PairError => _fieldErrors.All(e => e is null) ? _error : null;

    private async Task OnPlaneClick(MouseEventArgs e)
    {
        if (Disabled) return;
        var point = FromOffset(e.OffsetX, e.OffsetY, Size);
        (_valence, _arousal) = (point.Valence, point.Arousal);
        _fieldRevision++; // the fields show the tapped point, whatever was typed in them
        Array.Clear(_fieldErrors);
        await ReportAsync();
    }

    private Task ValenceChangedAsync(double? valence)
    {
        _valence = valence;
        _fieldErrors[0] = null;
        return ReportAsync();
    }

    private Task ArousalChangedAsync(double? arousal)
    {
        _arousal = arousal;
        _fieldErrors[1] = null;
        return ReportAsync();
    }

    private Task FieldErrorAsync(int axis, string? error)
    {
        _fieldErrors[axis] = error;
        return ReportAsync();
    }

    /// <summary>
    /// Reports the point if the two numbers make one (before its error clears, as <see cref="NumberField"/> does),
    /// otherwise the reason they do not.
    /// </summary>
    private async Task ReportAsync()
    {
        var error = _fieldErrors.FirstOrDefault(e => e is not null) ?? (_valence, _arousal) switch
        {
            (null, null) when Required => $"{Label}: tap the plane, or type valence and arousal.",
            (null, not null) or (not null, null) => $"{Label}: give both valence and arousal, or neither.",
            _ => null,
        };
        if (error is null)
        {
            var point = _valence is { } v && _arousal is { } a ? new AffectPoint(v, a) : (AffectPoint?)null;
            if (!Nullable.Equals(point, _reported))
            {
                _reported = point;
                await ValueChanged.InvokeAsync(point);
            }
        }
        await SetErrorAsync(error);
    }

    private async Task SetErrorAsync(string? error)
    {
        if (error == _error) return;
        _error = error;
        await ErrorChanged.InvokeAsync(error);
    }

    private static string X(double valence) => (valence * 100).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Y(double arousal) => ((1 - arousal) * 100).ToString("0.##", CultureInfo.InvariantCulture);
}
