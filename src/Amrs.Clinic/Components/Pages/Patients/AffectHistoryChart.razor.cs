using Amrs.Clinic.Services.Patients;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace Amrs.Clinic.Components.Pages.Patients;

public sealed partial class AffectHistoryChart
{
    [Parameter, EditorRequired]
    public required IReadOnlyList<SessionSummary> Sessions { get; set; }

    private string Summary
    {
        get
        {
            var observed = Sessions.Where(s => s.ObservedAffect is not null).ToList();
            return observed.Count == 0
                ? "No affect has been observed in this patient's sessions yet."
                : $"Observed affect in {observed.Count} of {Sessions.Count} sessions; latest: valence {observed[^1].ObservedAffect!.Value.Valence:0.00}, arousal {observed[^1].ObservedAffect!.Value.Arousal:0.00} (target {observed[^1].Target.Valence:0.00}, {observed[^1].Target.Arousal:0.00}).";
        }
    }

    protected override void OnParametersSet()
    {
        var observed = Sessions.Where(s => s.ObservedAffect is not null).ToList();
        var dates = observed.Select(s => (object)s.StartedAt.UtcDateTime).ToList();
        ChartData =
        [
            Line("Observed valence", dates, observed.Select(s => (object)s.ObservedAffect!.Value.Valence), "#1f5f8b", dash: null),
            Line("Observed arousal", dates, observed.Select(s => (object)s.ObservedAffect!.Value.Arousal), "#8a5300", dash: null),
            Line("Target valence", dates, observed.Select(s => (object)s.Target.Valence), "#1f5f8b", dash: "dot"),
            Line("Target arousal", dates, observed.Select(s => (object)s.Target.Arousal), "#8a5300", dash: "dot"),
        ];
        ChartLayout = new Plotly.Blazor.Layout
        {
            // Room below the dates for the legend, and a short axis title that fits a portrait tablet (the long
            // meaning is in the text above the chart).
            Height = 340,
            Margin = new Margin { L = 55, R = 20, T = 20, B = 100 },
            HoverMode = HoverModeEnum.X,
            YAxis = [new YAxis { Range = [0, 1], Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = "0 low – 1 high" } }],
            Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = -0.35m }],
        };
    }

    private static Scatter Line(string name, List<object> x, IEnumerable<object> y, string colour, string? dash) => new()
    {
        Name = name,
        X = x,
        Y = y.ToList(),
        Mode = ModeFlag.Lines | ModeFlag.Markers,
        Line = new Line { Color = colour, Dash = dash, Width = dash is null ? 2 : 1 },
    };
}
