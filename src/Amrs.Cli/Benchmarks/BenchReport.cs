using System.Text.Json;
using System.Text.Json.Serialization;

namespace Amrs.Cli.Benchmarks;

/// <summary>Targets of issues 4 and 10, checked against the measurements in the report.</summary>
public sealed record BenchTargets(
    bool? ScoringUnder50Ms,
    bool? RolloutsUnder200Ms,
    bool? RealTrainingAtLeast80PercentOfBare,
    bool? PreviewAloneP95Under300Ms,
    bool? PreviewAt20P95Under2s,
    bool? TrainingAtMostDoublesPreviewLatency)
{
    public static BenchTargets Check(TrainingResult? training, EngineResult? engine, PreviewResult? preview) => new(
        engine is null ? null : engine.Scoring.MedianMs < 50,
        engine is null ? null : engine.Rollout.MedianMs < 200,
        training is null ? null : training.RealShareOfBare >= 0.8,
        preview is null ? null : preview.Alone.P95Ms < 300,
        preview is null ? null : preview.AtOnce.P95Ms < 2000,
        preview?.AloneWhileTraining is null || preview.AtOnceWhileTraining is null
            ? null
            : preview.AloneWhileTraining.P95Ms <= 2 * preview.Alone.P95Ms && preview.AtOnceWhileTraining.P95Ms <= 2 * preview.AtOnce.P95Ms);
}

/// <summary>Everything <c>amrs bench</c> measured, with the machine it ran on; written as JSON.</summary>
public sealed record BenchReport(
    DateTimeOffset MeasuredAt,
    string Machine,
    int ProcessorCount,
    int TorchThreads,
    TrainingResult? Training,
    EngineResult? Engine,
    PreviewResult? Preview,
    AuditResult? Audit,
    BenchTargets Targets)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public void WriteTo(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
}
