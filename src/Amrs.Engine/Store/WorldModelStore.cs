using Amrs.Engine.Training;
using Amrs.Engine.WorldModels;

namespace Amrs.Engine.Store;

/// <summary>Saving and loading world-model ensembles through a <see cref="ModelStore"/>.</summary>
public static class WorldModelStore
{
    public const string Kind = "world-model";
    public const string IdPrefix = "wm";

    public static ModelCard SaveWorldModel(this ModelStore store, WorldModelEnsemble ensemble, WorldModelProvenance provenance,
        CancellationToken cancellationToken = default)
    {
        var draft = new ModelCardDraft
        {
            Kind = Kind,
            IdPrefix = IdPrefix,
            Architecture = ModelCard.ToJson(new { ensemble.Options, Members = ensemble.Members.Count, ensemble.Layout }),
            Training = provenance.Training is null ? null : ModelCard.ToJson(provenance.Training),
            TrainingDataFingerprint = provenance.TrainingDataFingerprint,
            SimulatorConfigHash = provenance.SimulatorConfigHash,
            SplitSeed = provenance.SplitSeed,
            Metrics = provenance.Metrics ?? new Dictionary<string, double>(),
            Notes = provenance.Notes,
        };
        return store.Save(draft, ensemble.Save, cancellationToken);
    }

    /// <summary>Loads a verified world model; throws <see cref="ModelIntegrityException"/> if any file changed.</summary>
    public static (WorldModelEnsemble Ensemble, ModelCard Card) LoadWorldModel(this ModelStore store, string id)
    {
        var stored = store.Open(id);
        if (stored.Card.Kind != Kind)
            throw new ModelIntegrityException($"Model '{id}' is a {stored.Card.Kind}, not a {Kind}.");
        return (WorldModelEnsemble.Load(stored.Folder), stored.Card);
    }
}

/// <summary>Where a world model came from, for its card.</summary>
public sealed record WorldModelProvenance(
    string TrainingDataFingerprint,
    string? SimulatorConfigHash = null,
    int? SplitSeed = null,
    TrainingOptions? Training = null,
    IReadOnlyDictionary<string, double>? Metrics = null,
    string? Notes = null);
