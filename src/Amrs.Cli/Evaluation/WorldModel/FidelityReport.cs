using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Amrs.Cli.Evaluation.WorldModel;

/// <summary>The result of <c>amrs evaluate world-model</c>, written as JSON and as a Markdown table.</summary>
public sealed record FidelityReport
{
    public required string Command { get; init; }
    public required string World { get; init; }
    public required string WorldConfigHash { get; init; }
    public required string ModelId { get; init; }
    public string? ModelSimulatorConfigHash { get; init; }

    /// <summary>True when the model was trained on exactly this world's data, so the split's test patients were never seen.</summary>
    public required bool TestPatientsHeldOut { get; init; }

    public required int SplitSeed { get; init; }
    public required int TestPatients { get; init; }
    public required int TestSteps { get; init; }

    /// <summary>[bucket][signal][predictor] (buckets: all, first-session, second-session, later-sessions).</summary>
    public required SortedDictionary<string, SortedDictionary<string, SortedDictionary<string, SignalScores>>> Fidelity { get; init; }

    /// <summary>[signal][predictor]: how far each predictor lies from the oracle, and where (<see cref="OracleGap"/>).</summary>
    public required SortedDictionary<string, SortedDictionary<string, OracleGap>> OracleGaps { get; init; }

    public required IReadOnlyList<TargetCheck> Targets { get; init; }
    public required IReadOnlyList<OodRate> Ood { get; init; }
    public required DateTimeOffset EvaluatedAt { get; init; }
    public required double Seconds { get; init; }

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    private static readonly string[] Predictors = ReferencePredictors.All.Select(p => p.Name).ToArray();

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"### World-model fidelity: {World} world, model `{ModelId}`");
        md.AppendLine();
        var heldOut = TestPatientsHeldOut ? "never seen in training" : "the model was trained on other data";
        md.AppendLine(CultureInfo.InvariantCulture,
            $"{TestPatients} cold-start test patients ({TestSteps:N0} steps; split seed {SplitSeed}; {heldOut}), one step ahead, teacher-forced. Reproduce: `{Command}`");
        md.AppendLine();
        foreach (var bucket in FidelityScores.Buckets)
        {
            if (!Fidelity.TryGetValue(bucket, out var signals)) continue;
            md.AppendLine(CultureInfo.InvariantCulture, $"**{Title(bucket)}**");
            md.AppendLine();
            md.AppendLine("| predictor | valence R² | arousal R² | engagement R² | engagement MAE | rating AUC | rating Brier |");
            md.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var predictor in Predictors)
            {
                SignalScores? Get(string signal) =>
                    signals.TryGetValue(signal, out var p) && p.TryGetValue(predictor, out var s) ? s : null;
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {predictor} | {F(Get("valence")?.R2)} | {F(Get("arousal")?.R2)} | {F(Get("engagement")?.R2)} | " +
                    $"{F(Get("engagement")?.Mae)} | {F(Get("rating")?.Auc)} | {F(Get("rating")?.Brier)} |");
            }
            md.AppendLine();
        }

        md.AppendLine("**80% band coverage (world model, ensemble + noise; target 0.75-0.85)**");
        md.AppendLine();
        md.AppendLine("| history | engagement | valence | arousal | mean band width (valence) |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var bucket in FidelityScores.Buckets)
        {
            if (!Fidelity.TryGetValue(bucket, out var signals)) continue;
            SignalScores? Get(string signal) =>
                signals.TryGetValue(signal, out var p) && p.TryGetValue(ReferencePredictors.Model, out var s) ? s : null;
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {Title(bucket)} | {F(Get("engagement")?.Coverage80)} | {F(Get("valence")?.Coverage80)} | {F(Get("arousal")?.Coverage80)} | {F(Get("valence")?.BandWidth80)} |");
        }
        md.AppendLine();

        md.AppendLine("**Distance from the oracle, third session on (mean squared difference x 1000: total = patient + session + within the session)**");
        md.AppendLine();
        md.AppendLine("| predictor | valence | arousal | engagement |");
        md.AppendLine("|---|---|---|---|");
        foreach (var predictor in Predictors.Where(p => p != ReferencePredictors.Oracle))
        {
            string Gap(string signal) =>
                OracleGaps.TryGetValue(signal, out var p) && p.TryGetValue(predictor, out var g)
                    ? string.Create(CultureInfo.InvariantCulture, $"{1000 * g.Total:0.000} = {1000 * g.Patient:0.000} + {1000 * g.Session:0.000} + {1000 * g.WithinSession:0.000}")
                    : "-";
            md.AppendLine(CultureInfo.InvariantCulture, $"| {predictor} | {Gap("valence")} | {Gap("arousal")} | {Gap("engagement")} |");
        }
        md.AppendLine();

        if (Ood.Count > 0)
        {
            md.AppendLine("**Out-of-distribution flags on previews (one per held-out session)**");
            md.AppendLine();
            md.AppendLine("| previews | flagged | rate | rate by the score alone (without the unseen-tracks rule) |");
            md.AppendLine("|---|---|---|---|");
            foreach (var o in Ood)
                md.AppendLine(CultureInfo.InvariantCulture, $"| {o.Description} | {o.Flagged} of {o.Previews} | {F(o.Rate)} | {F(o.RateByScore)} |");
            md.AppendLine();
        }

        md.AppendLine("**Targets (from the third session on unless stated)**");
        md.AppendLine();
        md.AppendLine("| target | measured | required | met |");
        md.AppendLine("|---|---|---|---|");
        foreach (var t in Targets)
            md.AppendLine(CultureInfo.InvariantCulture, $"| {t.Name} | {F(t.Measured)} | {t.Requirement} | {(t.Met ? "yes" : "**no**")} |");
        return md.ToString();
    }

    private static string Title(string bucket) => bucket switch
    {
        FidelityScores.AllSteps => "All steps",
        "first-session" => "First session (no history)",
        "second-session" => "Second session",
        _ => "Third session on",
    };

    private static string F(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "–";
}

/// <summary>One acceptance target of the world model and whether it was met.</summary>
public sealed record TargetCheck(string Name, double? Measured, string Requirement, bool Met)
{
    public const string Later = "later-sessions";

    public static IReadOnlyList<TargetCheck> Evaluate(
        IReadOnlyDictionary<string, SortedDictionary<string, SortedDictionary<string, SignalScores>>> table)
    {
        var checks = new List<TargetCheck>();
        SignalScores? Get(string bucket, string signal, string predictor) =>
            table.TryGetValue(bucket, out var s) && s.TryGetValue(signal, out var p) && p.TryGetValue(predictor, out var x) ? x : null;

        foreach (var signal in new[] { "valence", "arousal" })
        {
            var model = Get(Later, signal, ReferencePredictors.Model)?.R2;
            var oracle = Get(Later, signal, ReferencePredictors.Oracle)?.R2;
            var population = Get(Later, signal, ReferencePredictors.Population)?.R2;
            if (oracle is { } o)
            {
                checks.Add(new TargetCheck($"{signal} R² ≥ 90% of the oracle's", model, $"≥ {0.9 * o:0.000}", model >= 0.9 * o));
                if (population is { } p)
                {
                    var half = p + 0.5 * (o - p);
                    checks.Add(new TargetCheck($"{signal} R² recovers ≥ half the population-to-oracle gap", model, $"≥ {half:0.000}", model >= half));
                }
            }
            var best = new[] { ReferencePredictors.GlobalMean, ReferencePredictors.TrackMean, ReferencePredictors.PatientMean }
                .Select(b => Get(Later, signal, b)?.R2).Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(double.NegativeInfinity).Max();
            checks.Add(new TargetCheck($"{signal} R² above every baseline", model, $"> {best:0.000}", model > best));
        }

        var auc = Get(Later, "rating", ReferencePredictors.Model)?.Auc;
        if (Get(Later, "rating", ReferencePredictors.Oracle)?.Auc is { } oracleAuc)
            checks.Add(new TargetCheck("rating AUC ≥ 95% of the oracle's", auc, $"≥ {0.95 * oracleAuc:0.000}", auc >= 0.95 * oracleAuc));

        foreach (var signal in new[] { "engagement", "valence", "arousal" })
        {
            var coverage = Get(FidelityScores.AllSteps, signal, ReferencePredictors.Model)?.Coverage80;
            checks.Add(new TargetCheck($"{signal} 80% band coverage (all steps)", coverage, "0.75-0.85", coverage is >= 0.75 and <= 0.85));
        }
        return checks;
    }
}
