using Amrs.Engine.Store;

namespace Amrs.Engine.Policies;

/// <summary>Saving and loading policies through a <see cref="ModelStore"/> (kinds "bc-policy" and "dpo-policy").</summary>
public static class PolicyStore
{
    public const string BehaviourCloningKind = BundleRoles.BehaviourCloning;
    public const string DpoKind = BundleRoles.Dpo;

    public static ModelCard SavePolicy(this ModelStore store, PolicyModel policy, PolicyProvenance provenance,
        CancellationToken cancellationToken = default)
    {
        if (provenance.Kind is not (BehaviourCloningKind or DpoKind))
            throw new ArgumentException($"A policy is a {BehaviourCloningKind} or a {DpoKind}, not '{provenance.Kind}'.", nameof(provenance));
        var draft = new ModelCardDraft
        {
            Kind = provenance.Kind,
            IdPrefix = provenance.Kind == DpoKind ? "dpo" : "bc",
            Architecture = ModelCard.ToJson(new { policy.Options, policy.Layout }),
            Training = provenance.Training is null ? null : ModelCard.ToJson(provenance.Training),
            TrainingDataFingerprint = provenance.TrainingDataFingerprint,
            SimulatorConfigHash = provenance.SimulatorConfigHash,
            SplitSeed = provenance.SplitSeed,
            Metrics = provenance.Metrics ?? new Dictionary<string, double>(),
            Notes = provenance.Notes,
        };
        return store.Save(draft, policy.Save, cancellationToken);
    }

    /// <summary>Loads a verified policy; throws <see cref="ModelIntegrityException"/> if any file changed.</summary>
    public static (PolicyModel Policy, ModelCard Card) LoadPolicy(this ModelStore store, string id)
    {
        var stored = store.Open(id);
        if (stored.Card.Kind is not (BehaviourCloningKind or DpoKind))
            throw new ModelIntegrityException($"Model '{id}' is a {stored.Card.Kind}, not a policy.");
        return (PolicyModel.Load(stored.Folder), stored.Card);
    }

    /// <summary>The DPO reference: the behaviour-cloning policy <paramref name="id"/>, verified and loaded frozen.</summary>
    public static PolicyModel LoadFrozenReference(this ModelStore store, string id)
    {
        var stored = store.Open(id);
        if (stored.Card.Kind != BehaviourCloningKind)
            throw new ModelIntegrityException($"The DPO reference must be a {BehaviourCloningKind}; model '{id}' is a {stored.Card.Kind}.");
        return PolicyModel.LoadFrozen(stored.Folder);
    }
}

/// <summary>Where a policy came from, for its card. <see cref="Training"/> is any serialisable options object.</summary>
public sealed record PolicyProvenance(
    string Kind,
    string TrainingDataFingerprint,
    string? SimulatorConfigHash = null,
    int? SplitSeed = null,
    object? Training = null,
    IReadOnlyDictionary<string, double>? Metrics = null,
    string? Notes = null);
