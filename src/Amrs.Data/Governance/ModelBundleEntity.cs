using Amrs.Core.Ethics;

namespace Amrs.Data.Governance;

/// <summary>
/// A model bundle (world model, behaviour-cloning and DPO policies trained together) in the registry, with its
/// status for care. Promotion needs two people: an Admin proposes, a Clinician signs.
/// </summary>
public sealed class ModelBundleEntity
{
    public required string BundleId { get; set; }
    public ModelCareStatus Status { get; set; }

    /// <summary>The folder of the bundle in the model store (or the shipped models/ folder).</summary>
    public required string Location { get; set; }

    /// <summary>The model cards and evaluation summary, as JSON, copied at registration.</summary>
    public required string CardsJson { get; set; }

    public required string DataFingerprint { get; set; }

    /// <summary>
    /// A retrained candidate's evaluation beside the bundle promoted when it was trained (the engine's
    /// BundleEvaluationReport as JSON); null for bundles registered without one (the shipped bundle).
    /// </summary>
    public string? EvaluationJson { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public bool Shipped { get; set; }

    /// <summary>What the bundle was before its open proposal (a withdrawn proposal returns it there); null otherwise.</summary>
    public ModelCareStatus? StatusBeforeProposal { get; set; }

    public string? ProposedByUserId { get; set; }
    public string? ProposedByName { get; set; }
    public DateTimeOffset? ProposedAt { get; set; }
    public string? PromotedByUserId { get; set; }
    public string? PromotedByName { get; set; }
    public DateTimeOffset? PromotedAt { get; set; }
    public string? PromotionMeaning { get; set; }
    public DateTimeOffset? RetiredAt { get; set; }
}
