using System.Text.Json;
using Amrs.Core.Ethics;
using Amrs.Data.Governance;
using Amrs.Engine.Bundles;
using Amrs.Engine.Store;

namespace Amrs.Clinic.Services.Governance;

/// <summary>A bundle of the registry as the page shows it: its record, its three model cards, its evaluation report.</summary>
public sealed record RegisteredBundle(ModelBundleEntity Record, IReadOnlyList<ModelCard> Cards, BundleEvaluationReport? Evaluation)
{
    public string BundleId => Record.BundleId;
    public ModelCareStatus Status => Record.Status;

    /// <summary>Promoted for care before and taken out of care since: it can be proposed again (a rollback).</summary>
    public bool IsRollbackTarget => Record.PromotedAt is not null && Status is ModelCareStatus.Retired or ModelCareStatus.RolledBack;

    /// <summary>Whether an Admin may propose it for care now (a new candidate, or a rollback target).</summary>
    public bool CanBeProposed => Status == ModelCareStatus.Candidate || IsRollbackTarget;

    /// <summary>A proposal that, once signed, brings back an earlier promoted bundle.</summary>
    public bool IsRollbackProposal => Status == ModelCareStatus.Proposed && Record.PromotedAt is not null;

    public ModelCard? CardFor(string kind) => Cards.FirstOrDefault(c => c.Kind == kind);

    /// <summary>Every metric of the three cards (world-model fidelity on its test patients, the policies' validation metrics).</summary>
    public IReadOnlyDictionary<string, double> CardMetrics =>
        Cards.SelectMany(c => c.Metrics).GroupBy(m => m.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);

    public static RegisteredBundle From(ModelBundleEntity record) => new(record,
        JsonSerializer.Deserialize<List<ModelCard>>(record.CardsJson) ?? [],
        record.EvaluationJson is null ? null : JsonSerializer.Deserialize<BundleEvaluationReport>(record.EvaluationJson));

    /// <summary>Plain words for a status.</summary>
    public static string Describe(ModelCareStatus status) => status switch
    {
        ModelCareStatus.Candidate => "candidate",
        ModelCareStatus.Proposed => "proposed, awaiting a clinician's signature",
        ModelCareStatus.PromotedForCare => "promoted for care",
        ModelCareStatus.RolledBack => "rolled back",
        ModelCareStatus.Retired => "retired",
        _ => status.ToString(),
    };
}
