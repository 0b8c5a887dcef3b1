using ScottPlot;

namespace Amrs.Cli.Evaluation.Policy;

/// <summary>PNG charts of a report: ground-truth attainment per mode, and world model vs ground truth per policy.</summary>
public static class PolicyPlots
{
    public static IReadOnlyList<string> Write(PolicyEvaluationReport report, string folder)
    {
        var palette = new ScottPlot.Palettes.Category10();
        var files = new List<string>();

        var perMode = new Plot();
        var groups = PolicyBenchmark.Modes.Select(PolicyEvaluationReport.ModeKey).ToArray();
        var names = report.Policies.Keys.ToArray();
        for (var p = 0; p < names.Length; p++)
        {
            for (var g = 0; g < groups.Length; g++)
            {
                var estimate = report.Policies[names[p]][$"{groups[g]}.truth.attainment"];
                perMode.Add.Bar(new Bar
                {
                    Position = g * (names.Length + 1) + p,
                    Value = estimate.Mean,
                    Error = estimate.Sd,
                    FillColor = palette.GetColor(p),
                });
            }
            perMode.Legend.ManualItems.Add(new LegendItem { LabelText = names[p], FillColor = palette.GetColor(p) });
        }
        perMode.Axes.Bottom.SetTicks(groups.Select((_, g) => g * (names.Length + 1) + (names.Length - 1) / 2.0).ToArray(), groups);
        perMode.Axes.SetLimitsY(0.5, 1.0);
        perMode.Title($"Ground-truth target attainment per mode ({report.World} world)");
        perMode.YLabel("attainment (1 - mean distance / sqrt 2)");
        perMode.ShowLegend();
        files.Add(Save(perMode, folder, $"attainment-by-mode-{report.World}.png"));

        var gap = new Plot();
        for (var p = 0; p < names.Length; p++)
        {
            var m = report.Policies[names[p]];
            gap.Add.Bar(new Bar { Position = 3 * p, Value = m["truth.attainment"].Mean, Error = m["truth.attainment"].Sd, FillColor = palette.GetColor(0) });
            gap.Add.Bar(new Bar { Position = 3 * p + 1, Value = m["wm.attainment"].Mean, Error = m["wm.attainment"].Sd, FillColor = palette.GetColor(1) });
        }
        gap.Legend.ManualItems.Add(new LegendItem { LabelText = "ground truth", FillColor = palette.GetColor(0) });
        gap.Legend.ManualItems.Add(new LegendItem { LabelText = "inside the world model", FillColor = palette.GetColor(1) });
        gap.Axes.Bottom.SetTicks(names.Select((_, p) => 3 * p + 0.5).ToArray(), names);
        gap.Axes.SetLimitsY(0.5, 1.0);
        gap.Title($"Attainment: world model vs ground truth ({report.World} world)");
        gap.ShowLegend();
        files.Add(Save(gap, folder, $"world-model-gap-{report.World}.png"));

        var diversity = new Plot();
        for (var p = 0; p < names.Length; p++)
        {
            var m = report.Policies[names[p]];
            diversity.Add.Bar(new Bar { Position = 3 * p, Value = m["diversity.coverage"].Mean, FillColor = palette.GetColor(2) });
            diversity.Add.Bar(new Bar { Position = 3 * p + 1, Value = m["diversity.entropy"].Mean, FillColor = palette.GetColor(3) });
        }
        diversity.Legend.ManualItems.Add(new LegendItem { LabelText = "catalog coverage", FillColor = palette.GetColor(2) });
        diversity.Legend.ManualItems.Add(new LegendItem { LabelText = "normalised entropy", FillColor = palette.GetColor(3) });
        diversity.Axes.Bottom.SetTicks(names.Select((_, p) => 3 * p + 0.5).ToArray(), names);
        diversity.Title($"Diversity of recommendations ({report.World} world)");
        diversity.ShowLegend();
        files.Add(Save(diversity, folder, $"diversity-{report.World}.png"));
        return files;
    }

    private static string Save(Plot plot, string folder, string name)
    {
        var path = Path.Combine(folder, name);
        plot.SavePng(path, 1000, 520);
        return path;
    }
}
