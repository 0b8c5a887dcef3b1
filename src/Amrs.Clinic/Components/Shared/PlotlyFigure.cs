using Microsoft.AspNetCore.Components;
using Plotly.Blazor;

namespace Amrs.Clinic.Components.Shared;

/// <summary>
/// What every Plotly chart in the clinic shares: a responsive chart without Plotly's toolbar, the traces and
/// layout a subclass builds in <see cref="ComponentBase.OnParametersSet"/>, and a redraw after each later render.
/// </summary>
public abstract class PlotlyFigure : ComponentBase
{
    protected PlotlyChart? Chart { get; set; }

    protected Config ChartConfig { get; } = new() { Responsive = true, DisplayModeBar = Plotly.Blazor.ConfigLib.DisplayModeBarEnum.False };

    protected Plotly.Blazor.Layout ChartLayout { get; set; } = new();

    protected IList<ITrace> ChartData { get; set; } = [];

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender && Chart is not null) await Chart.React();
    }
}
