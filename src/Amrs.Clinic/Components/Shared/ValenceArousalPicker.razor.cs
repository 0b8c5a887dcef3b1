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

    [Parameter]
    public EventCallback<AffectPoint> ValueChanged { get; set; }

    /// <summary>A second point to show for orientation (for example the patient's state before the music).</summary>
    [Parameter]
    public AffectPoint? Reference { get; set; }

    [Parameter]
    public int Size { get; set; } = 240;

    [Parameter]
    public bool Disabled { get; set; }

    /// <summary>Maps a click at pixel offsets inside a square of <paramref name="size"/> pixels to affect (arousal grows upward).</summary>
    public static AffectPoint FromOffset(double offsetX, double offsetY, int size) =>
        new AffectPoint(Math.Round(offsetX / size, 2), Math.Round(1 - offsetY / size, 2)).Clamp();

    private async Task OnPlaneClick(MouseEventArgs e)
    {
        if (Disabled) return;
        await ValueChanged.InvokeAsync(FromOffset(e.OffsetX, e.OffsetY, Size));
    }

    private async Task SetAsync(double? valence, double? arousal)
    {
        var point = new AffectPoint(valence ?? 0.5, arousal ?? 0.5).Clamp();
        await ValueChanged.InvokeAsync(point);
    }

    private static string X(double valence) => (valence * 100).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Y(double arousal) => ((1 - arousal) * 100).ToString("0.##", CultureInfo.InvariantCulture);
}
