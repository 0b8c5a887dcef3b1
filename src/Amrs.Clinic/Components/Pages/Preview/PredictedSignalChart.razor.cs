using System.Globalization;
using Amrs.Clinic.Services.Engine;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace Amrs.Clinic.Components.Pages.Preview;

/// <summary>Which predicted affect signal a chart shows.</summary>
public enum AffectSignal
{
    Valence,
    Arousal,
}

public sealed partial class PredictedSignalChart
{
    [Parameter, EditorRequired]
    public required AffectSignal Signal { get; set; }

    [Parameter, EditorRequired]
    public required IReadOnlyList<StepForecast> Steps { get; set; }

    private string Name => Signal == AffectSignal.Valence ? "valence" : "arousal";

    private string Colour => Signal == AffectSignal.Valence ? "#1f5f8b" : "#8a5300";

    private string Band => Signal == AffectSignal.Valence ? "rgba(31,95,139,0.18)" : "rgba(138,83,0,0.18)";

    private Band Of(StepForecast step) => Signal == AffectSignal.Valence ? step.Valence : step.Arousal;

    private double TargetOf(StepForecast step) => Signal == AffectSignal.Valence ? step.StepTarget.Valence : step.StepTarget.Arousal;

    private string Summary
    {
        get
        {
            if (Steps.Count == 0) return $"No {Name} forecast.";
            var last = Steps[^1];
            return string.Create(CultureInfo.InvariantCulture,
                $"Predicted {Name} after track {Steps.Count}: {Of(last).P50:0.00} (10-90 %: {Of(last).P10:0.00} to {Of(last).P90:0.00}); target {TargetOf(last):0.00}.");
        }
    }

    protected override void OnParametersSet()
    {
        var x = Steps.Select(s => (object)(s.Position + 1)).ToList();
        ChartData =
        [
            new Scatter
            {
                Name = "10 %", X = x, Y = Steps.Select(s => (object)Of(s).P10).ToList(), Mode = ModeFlag.Lines,
                Line = new Line { Width = 0, Color = Colour }, ShowLegend = false, HoverInfo = HoverInfoFlag.Skip,
            },
            new Scatter
            {
                Name = "10-90 % of rollouts", X = x, Y = Steps.Select(s => (object)Of(s).P90).ToList(), Mode = ModeFlag.Lines,
                Line = new Line { Width = 0, Color = Colour }, Fill = FillEnum.ToNextY, FillColor = Band, HoverInfo = HoverInfoFlag.Skip,
            },
            new Scatter
            {
                Name = $"Predicted {Name} (median)", X = x, Y = Steps.Select(s => (object)Of(s).P50).ToList(),
                Mode = ModeFlag.Lines | ModeFlag.Markers, Line = new Line { Color = Colour, Width = 2 },
            },
            new Scatter
            {
                Name = $"Target {Name}", X = x, Y = Steps.Select(s => (object)TargetOf(s)).ToList(),
                Mode = ModeFlag.Lines, Line = new Line { Color = "#333333", Dash = "dash", Width = 1.5m },
            },
        ];
        ChartLayout = new Plotly.Blazor.Layout
        {
            Height = 300,
            Margin = new Margin { L = 55, R = 10, T = 10, B = 90 },
            HoverMode = HoverModeEnum.X,
            XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = "Track" }, DTick = 1 }],
            YAxis = [new YAxis
            {
                Range = [0, 1.02],
                Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = Signal == AffectSignal.Valence ? "Valence (1 = pleasant)" : "Arousal (1 = excited)" },
            }],
            Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = -0.4m }],
        };
    }
}
