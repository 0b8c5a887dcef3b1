using System.Reflection;
using System.Text.Json;

namespace Amrs.Engine.Store;

/// <summary>
/// What a stored model is and where it came from. <see cref="Files"/> maps each file in the model's folder to
/// its SHA-256; loading refuses a file whose hash differs.
/// </summary>
public sealed record ModelCard
{
    public const string FileName = "model-card.json";

    public required string Id { get; init; }

    /// <summary>"world-model", "bc-policy", "dpo-policy", ...</summary>
    public required string Kind { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Informational version of the engine assembly that trained it.</summary>
    public required string CodeVersion { get; init; }

    /// <summary>Architecture and hyper-parameters, as the trainer's options serialise.</summary>
    public JsonElement? Architecture { get; init; }
    public JsonElement? Training { get; init; }

    public required string TrainingDataFingerprint { get; init; }

    /// <summary>Hash of the simulator configuration that generated the data, when the data is simulated.</summary>
    public string? SimulatorConfigHash { get; init; }

    public int? SplitSeed { get; init; }

    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();

    public string? Notes { get; init; }

    public static string CurrentCodeVersion =>
        typeof(ModelCard).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static JsonElement ToJson<T>(T value) => JsonSerializer.SerializeToElement(value, StoreJson.Options);
}

/// <summary>What the caller knows about a model being stored; the store adds id, date, code version and hashes.</summary>
public sealed record ModelCardDraft
{
    public required string Kind { get; init; }

    /// <summary>Short prefix of the version id, e.g. "wm" gives "wm-20261128-153000-1a2b3c4d".</summary>
    public required string IdPrefix { get; init; }

    public JsonElement? Architecture { get; init; }
    public JsonElement? Training { get; init; }
    public required string TrainingDataFingerprint { get; init; }
    public string? SimulatorConfigHash { get; init; }
    public int? SplitSeed { get; init; }
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
    public string? Notes { get; init; }
}

/// <summary>A model (or bundle) whose files do not match its card: the message names the file.</summary>
public sealed class ModelIntegrityException(string message) : Exception(message);
