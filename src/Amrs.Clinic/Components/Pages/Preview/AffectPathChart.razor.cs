using System.Globalization;
using Amrs.Clinic.Services.Engine;
using Amrs.Core.Affect;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace Amrs.Clinic.Components.Pages.Preview;

public sealed partial class AffectPathChart
{
    [Parameter, EditorRequired]
    public required IReadOnlyList<StepForecast> Steps { get; set; }

    [Parameter, EditorRequired]
    public required AffectPoint Target { get; set; }

    /// <summary>The behaviour-cloning policy's predicted path, drawn fainter.</summary>
    [Parameter]
    public IReadOnlyList<StepForecast> ComparisonSteps { get; set; } = [];

    private string Summary => Steps.Count == 0
        ? "No path predicted."
        : string.Create(CultureInfo.InvariantCulture,
            $"Predicted path from valence {Steps[0].Valence.P50:0.00}, arousal {Steps[0].Arousal.P50:0.00} after track 1 to {Steps[^1].Valence.P50:0.00}, {Steps[^1].Arousal.P50:0.00} after track {Steps.Count}; target {Target.Valence:0.00}, {Target.Arousal:0.00}.");

    protected override void OnParametersSet()
    {
        ChartData = [];
        if (ComparisonSteps.Count > 0)
            ChartData.Add(Path("Behaviour-cloning list", ComparisonSteps, "#8c8c8c", "dot", labels: false));
        ChartData.Add(Path("This list (median)", Steps, "#1f5f8b", null, labels: true));
        ChartData.Add(new Scatter
        {
            Name = "Target", X = [Target.Valence], Y = [Target.Arousal], Mode = ModeFlag.Markers,
            Marker = new Marker { Symbol = Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.Star, Size = 18, Color = "#2e7d32" },
        });
        ChartLayout = new Plotly.Blazor.Layout
        {
            Height = 380,
            Margin = new Margin { L = 55, R = 10, T = 10, B = 90 },
            XAxis = [new XAxis { Range = [0, 1], Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = "Valence (0 unpleasant – 1 pleasant)" } }],
            YAxis = [new YAxis { Range = [0, 1], Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = "Arousal (0 calm – 1 excited)" } }],
            Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = -0.3m }],
        };
    }

    private static Scatter Path(string name, IReadOnlyList<StepForecast> steps, string colour, string? dash, bool labels) => new()
    {
        Name = name,
        X = steps.Select(s => (object)s.Valence.P50).ToList(),
        Y = steps.Select(s => (object)s.Arousal.P50).ToList(),
        Mode = labels ? ModeFlag.Lines | ModeFlag.Markers | ModeFlag.Text : ModeFlag.Lines | ModeFlag.Markers,
        TextArray = labels ? steps.Select((s, i) => Labelled(i, steps.Count) ? (s.Position + 1).ToString(CultureInfo.InvariantCulture) : "").ToList() : null,
        TextPosition = TextPositionEnum.TopCenter,
        Line = new Line { Color = colour, Dash = dash, Width = dash is null ? 2 : 1 },
        Marker = new Marker { Color = colour, Size = dash is null ? 7 : 5 },
    };

    /// <summary>Numbers the first and last track and every third between, so close points stay legible.</summary>
    private static bool Labelled(int index, int count) => index == 0 || index == count - 1 || (index + 1) % 3 == 0;
}
