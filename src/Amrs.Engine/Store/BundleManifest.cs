namespace Amrs.Engine.Store;

/// <summary>
/// Models trained together (world model, BC policy, DPO policy): role -> model version id, with the SHA-256
/// of each model's card so a bundle cannot silently point at a different model.
/// </summary>
public sealed record BundleManifest
{
    public const string FileName = "bundle.json";

    public required string Id { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string CodeVersion { get; init; }
    public required IReadOnlyList<BundleEntry> Models { get; init; }
    public string? Notes { get; init; }

    public string ModelFor(string role) =>
        Models.FirstOrDefault(m => m.Role == role)?.ModelId
        ?? throw new KeyNotFoundException($"Bundle {Id} has no model for role '{role}'.");
}

public sealed record BundleEntry(string Role, string ModelId, string CardSha256);

/// <summary>Role names used in bundles.</summary>
public static class BundleRoles
{
    public const string WorldModel = "world-model";
    public const string BehaviourCloning = "bc-policy";
    public const string Dpo = "dpo-policy";
}
