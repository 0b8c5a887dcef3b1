using System.Globalization;
using System.Text;
using System.Text.Json;
using Amrs.Core.Affect;

namespace Amrs.Cli.Evaluation.Policy;

/// <summary>Mean and spread (sample standard deviation over splits) of one metric.</summary>
public sealed record Estimate(double Mean, double Sd, int Splits)
{
    public static Estimate Of(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        var sd = values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return new Estimate(mean, sd, values.Count);
    }

    public string Show(string format = "0.000") =>
        Mean.ToString(format, CultureInfo.InvariantCulture) + (Splits > 1 ? " ± " + Sd.ToString(format, CultureInfo.InvariantCulture) : "");
}

/// <summary>One target of the issue and whether it was reached.</summary>
public sealed record TargetCheck(string Target, bool Reached, string Measured);

/// <summary>The evaluation's result: per policy, per metric, mean and spread over splits; the targets checked.</summary>
public sealed record PolicyEvaluationReport(
    string World,
    string WorldConfigHash,
    int Splits,
    bool Quick,
    BenchmarkSettings Settings,
    double RunSeconds,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, Estimate>> Policies,
    IReadOnlyList<IReadOnlyDictionary<string, double>> TrainingPerSplit,
    IReadOnlyList<TargetCheck> Targets)
{
    public static PolicyEvaluationReport Build(string world, string hash, bool quick, BenchmarkSettings settings, double seconds,
        IReadOnlyList<IReadOnlyDictionary<string, Dictionary<string, double>>> perSplit, IReadOnlyList<IReadOnlyDictionary<string, double>> training)
    {
        var policies = PolicyBenchmark.Policies.ToDictionary(p => p, p => (IReadOnlyDictionary<string, Estimate>)perSplit[0][p].Keys
            .ToDictionary(k => k, k => Estimate.Of(perSplit.Select(s => s[p][k]).ToArray())));
        return new PolicyEvaluationReport(world, hash, perSplit.Count, quick, settings, seconds, policies, training, Check(policies));
    }

    private static IReadOnlyList<TargetCheck> Check(IReadOnlyDictionary<string, IReadOnlyDictionary<string, Estimate>> p)
    {
        var checks = new List<TargetCheck>();
        double M(string policy, string key) => p[policy][key].Mean;
        foreach (var (dpo, asked) in new[] { ("dpo", ""), ("dpo-va", " asked for valence and arousal alone") })
        {
            foreach (var mode in PolicyBenchmark.Modes)
            {
                var key = $"{mode.ToString().ToLowerInvariant()}.truth.attainment";
                var gain = M(dpo, key) / M("bc", key) - 1;
                checks.Add(new TargetCheck($"{mode}: DPO{asked} beats BC on ground-truth attainment by >= 4 % relative", gain >= 0.04,
                    $"{Math.Round(gain * 100, 1):+0.0;-0.0;0.0} % ({M(dpo, key):0.000} vs {M("bc", key):0.000})"));
            }
        }
        foreach (var metric in new[] { "coverage", "entropy" })
        {
            var ratio = M("dpo", $"diversity.{metric}") / M("bc", $"diversity.{metric}");
            checks.Add(new TargetCheck($"DPO {metric} within 10 % of BC", Math.Abs(ratio - 1) <= 0.10, $"ratio {ratio:0.000}"));
        }
        var collapse = M("greedy", "diversity.coverage") / M("bc", "diversity.coverage");
        checks.Add(new TargetCheck("Greedy collapses coverage (far below BC: under half)", collapse < 0.5, $"ratio {collapse:0.000}"));
        var ceiling = M("oracle", "truth.attainment");
        var beaten = PolicyBenchmark.Policies.Where(x => x != "oracle" && M(x, "truth.attainment") > ceiling).ToArray();
        checks.Add(new TargetCheck("No policy beats the ground-truth oracle (sanity)", beaten.Length == 0,
            beaten.Length == 0 ? $"oracle {ceiling:0.000}" : "beaten by " + string.Join(", ", beaten)));
        return checks;
    }

    public void WriteJson(string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine($"## Policies on the {World} world ({Splits} cold-start split{(Splits == 1 ? "" : "s")}{(Quick ? ", quick models" : "")})");
        md.AppendLine();
        md.AppendLine($"World config {WorldConfigHash[..12]}; up to {Settings.MaxPatients} test patients per split, {Settings.Rollouts} rollouts each, " +
            $"one {Settings.PlaylistLength}-track session per mode; run time {RunSeconds / 60:0.0} min. Mean ± sd over splits. " +
            "Policies ask for each mode's default weights; greedy-va and dpo-va ask for valence and arousal alone (0.5/0.5, the paper's). " +
            "Two references no engine could learn: the oracle plans on the real patient; posterior plans the same way on the posterior of the " +
            "patient's traits (the truth's equations, only what the history shows of the patient): what planning could reach with a world model " +
            "as good as the history allows.");
        md.AppendLine();
        md.AppendLine("| policy | GT attainment | GT valence att. | GT arousal att. | WM attainment | WM − GT gap | GT engagement | GT rating | paper metric GT / WM | coverage | entropy | ILD | Gini |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (name, m) in Policies)
        {
            md.AppendLine($"| {name} | {m["truth.attainment"].Show()} | {m["truth.valence_attainment"].Show()} | {m["truth.arousal_attainment"].Show()} | " +
                $"{m["wm.attainment"].Show()} | {m["gap.attainment"].Show("+0.000;-0.000")} | {m["truth.engagement"].Show()} | {m["truth.rating"].Show()} | " +
                $"{m["truth.paper_metric"].Mean:0.000} / {m["wm.paper_metric"].Mean:0.000} | {m["diversity.coverage"].Show()} | {m["diversity.entropy"].Show()} | " +
                $"{m["diversity.ild"].Show()} | {m["diversity.gini"].Show()} |");
        }
        md.AppendLine();
        md.AppendLine("Ground-truth attainment per mode (final distance in brackets):");
        md.AppendLine();
        md.AppendLine("| policy | " + string.Join(" | ", PolicyBenchmark.Modes) + " |");
        md.AppendLine("|---|" + string.Concat(PolicyBenchmark.Modes.Select(_ => "---|")));
        foreach (var (name, m) in Policies)
        {
            md.AppendLine($"| {name} | " + string.Join(" | ", PolicyBenchmark.Modes.Select(mode =>
            {
                var key = mode.ToString().ToLowerInvariant();
                return $"{m[$"{key}.truth.attainment"].Show()} ({m[$"{key}.truth.final_distance"].Mean:0.000})";
            })) + " |");
        }
        md.AppendLine();
        md.AppendLine("| target | reached | measured |");
        md.AppendLine("|---|---|---|");
        foreach (var t in Targets) md.AppendLine($"| {t.Target} | {(t.Reached ? "yes" : "**no**")} | {t.Measured} |");
        return md.ToString();
    }

    public static string ModeKey(SessionMode mode) => mode.ToString().ToLowerInvariant();
}
