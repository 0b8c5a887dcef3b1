using System.Collections.Concurrent;
using Amrs.Clinic.Services.Engine;
using Amrs.Core.Ethics;

namespace Amrs.Clinic.Tests.Infrastructure;

/// <summary>
/// A small deterministic stand-in for the learned models: a registry of bundles with their care status, and a
/// "policy" that proposes a fixed list per patient (the same inputs always give the same list). Tests change
/// what it proposes or a bundle's status to see the guard refuse. Shared with the end-to-end tests (linked).
/// </summary>
public sealed class FakeCareEngine : ICareEngine
{
    public const string CareBundleId = "bundle-care";

    /// <summary>What the policy proposes for a patient unless told otherwise (no track of an excluded genre).</summary>
    public static IReadOnlyList<string> DefaultProposal { get; } = ["T-1", "T-2", "T-4", "T-5", "T-6"];

    private readonly ConcurrentDictionary<string, BundleInfo> _bundles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _proposals = new(StringComparer.Ordinal);

    public FakeCareEngine() => AddBundle(CareBundleId, ModelCareStatus.PromotedForCare);

    /// <summary>Every context the policy was asked to decode, in order (to check the inputs it was given).</summary>
    public ConcurrentQueue<CareContext> Contexts { get; } = new();

    public BundleInfo AddBundle(string bundleId, ModelCareStatus status) =>
        _bundles[bundleId] = new BundleInfo(bundleId, status, $"{bundleId}/wm", $"{bundleId}/bc", $"{bundleId}/dpo");

    /// <summary>From now on the policy decodes <paramref name="trackIds"/> for this patient.</summary>
    public void ProposeFor(string patientId, IReadOnlyList<string> trackIds) => _proposals[patientId] = trackIds;

    public IReadOnlyList<string> ProposalFor(string patientId) => _proposals.GetValueOrDefault(patientId, DefaultProposal);

    public Task<BundleInfo?> CareBundleAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(_bundles.Values.Where(b => b.ServesCare).OrderBy(b => b.BundleId, StringComparer.Ordinal).FirstOrDefault());

    public Task<BundleInfo?> BundleAsync(string bundleId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_bundles.GetValueOrDefault(bundleId));

    public Task<Proposal> ProposeAsync(string bundleId, PolicyKind policy, CareContext context, CancellationToken cancellationToken = default)
    {
        var bundle = _bundles.GetValueOrDefault(bundleId) ?? throw new InvalidOperationException($"No bundle {bundleId}.");
        Contexts.Enqueue(context);
        var tracks = ProposalFor(context.Patient.PatientId).Take(context.Profile.PlaylistLength).ToList();
        return Task.FromResult(new Proposal(bundleId, bundle.PolicyVersion(policy), DecodingSettings.Greedy, tracks));
    }

    public Task<PlaylistSimulation> SimulateAsync(string bundleId, CareContext context, IReadOnlyList<string> trackIds, int trajectories = 64,
        CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Delivery never simulates; previews are made elsewhere.");
}
