using System.Collections.Concurrent;
using Amrs.Clinic.Services.Engine;
using Amrs.Core.Affect;
using Amrs.Core.Ethics;

namespace Amrs.Clinic.Tests.Infrastructure;

/// <summary>
/// A small deterministic stand-in for the learned models: a registry of bundles with their care status, and a
/// "policy" that proposes a fixed list per patient (the same inputs always give the same list; the cloned policy
/// proposes it in reverse order), and a "world model" whose forecast walks from the middle of the square to the
/// profile's target with a fixed band. Tests change what it proposes, a bundle's status, or mark a patient out
/// of distribution. Shared with the end-to-end tests (linked).
/// </summary>
public sealed class FakeCareEngine : ICareEngine
{
    public const string CareBundleId = "bundle-care";

    /// <summary>What the policy proposes for a patient unless told otherwise (no track of an excluded genre).</summary>
    public static IReadOnlyList<string> DefaultProposal { get; } = ["T-1", "T-2", "T-4", "T-5", "T-6"];

    private readonly ConcurrentDictionary<string, BundleInfo> _bundles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _proposals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _outOfDistribution = new(StringComparer.Ordinal);

    public FakeCareEngine() => AddBundle(CareBundleId, ModelCareStatus.PromotedForCare);

    /// <summary>Every context the policy was asked to decode, in order (to check the inputs it was given).</summary>
    public ConcurrentQueue<CareContext> Contexts { get; } = new();

    public BundleInfo AddBundle(string bundleId, ModelCareStatus status) =>
        _bundles[bundleId] = new BundleInfo(bundleId, status, $"{bundleId}/wm", $"{bundleId}/bc", $"{bundleId}/dpo");

    /// <summary>A bundle whose models cannot be loaded: every proposal and simulation from it fails for <paramref name="reason"/>.</summary>
    public void AddUnloadableBundle(string bundleId, string reason)
    {
        AddBundle(bundleId, ModelCareStatus.Candidate);
        _unloadable[bundleId] = reason;
    }

    private readonly ConcurrentDictionary<string, string> _unloadable = new(StringComparer.Ordinal);

    /// <summary>The failure the engine reports for an unloadable bundle: a faulted task, as the real engine's thread gives.</summary>
    private Exception? Unloadable(string bundleId) =>
        _unloadable.TryGetValue(bundleId, out var reason) ? new ModelBundleUnavailableException(bundleId, new InvalidDataException(reason)) : null;

    /// <summary>Every simulation asked for: the context, the track list and the number of trajectories.</summary>
    public ConcurrentQueue<(CareContext Context, IReadOnlyList<string> TrackIds, int Trajectories)> Simulations { get; } = new();

    /// <summary>From now on the world model calls this patient's forecasts out of distribution, for <paramref name="reason"/>.</summary>
    public void MarkOutOfDistribution(string patientId, string reason) => _outOfDistribution[patientId] = reason;

    /// <summary>From now on the policy decodes <paramref name="trackIds"/> for this patient.</summary>
    public void ProposeFor(string patientId, IReadOnlyList<string> trackIds) => _proposals[patientId] = trackIds;

    public IReadOnlyList<string> ProposalFor(string patientId) => _proposals.GetValueOrDefault(patientId, DefaultProposal);

    public Task<BundleInfo?> CareBundleAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(_bundles.Values.Where(b => b.ServesCare).OrderBy(b => b.BundleId, StringComparer.Ordinal).FirstOrDefault());

    public Task<BundleInfo?> BundleAsync(string bundleId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_bundles.GetValueOrDefault(bundleId));

    public Task VerifyLoadsAsync(string bundleId, CancellationToken cancellationToken = default) =>
        Unloadable(bundleId) is { } unloadable ? Task.FromException(unloadable)
        : _bundles.ContainsKey(bundleId) ? Task.CompletedTask
        : Task.FromException(new ModelBundleUnavailableException(bundleId, new InvalidOperationException($"No bundle {bundleId}.")));

    public Task<Proposal> ProposeAsync(string bundleId, PolicyKind policy, CareContext context, CancellationToken cancellationToken = default)
    {
        var bundle = _bundles.GetValueOrDefault(bundleId) ?? throw new InvalidOperationException($"No bundle {bundleId}.");
        if (Unloadable(bundleId) is { } unloadable) return Task.FromException<Proposal>(unloadable);
        Contexts.Enqueue(context);
        var tracks = ProposalFor(context.Patient.PatientId).Take(context.Profile.PlaylistLength).ToList();
        if (policy == PolicyKind.BehaviourCloning) tracks.Reverse();
        return Task.FromResult(new Proposal(bundleId, bundle.PolicyVersion(policy), DecodingSettings.Greedy, tracks));
    }

    public Task<PlaylistSimulation> SimulateAsync(string bundleId, CareContext context, IReadOnlyList<string> trackIds, int trajectories = 64,
        CancellationToken cancellationToken = default)
    {
        if (Unloadable(bundleId) is { } unloadable) return Task.FromException<PlaylistSimulation>(unloadable);
        Simulations.Enqueue((context, trackIds, trajectories));
        var outOfDistribution = _outOfDistribution.TryGetValue(context.Patient.PatientId, out var reason);
        var halfWidth = outOfDistribution ? 0.3 : 0.08;
        var start = context.CurrentAffect ?? new AffectPoint(0.5, 0.5);
        var target = context.Profile.Target;
        var steps = trackIds.Select((id, i) =>
        {
            var progress = (i + 1.0) / trackIds.Count;
            var valence = start.Valence + (target.Valence - start.Valence) * progress * 0.9;
            var arousal = start.Arousal + (target.Arousal - start.Arousal) * progress * 0.9;
            return new StepForecast(i, id, BandAround(valence, halfWidth), BandAround(arousal, halfWidth), BandAround(0.8 - 0.02 * i, 0.1),
                0.7 - 0.01 * i, target);
        }).ToList();
        return Task.FromResult(new PlaylistSimulation(steps, outOfDistribution, reason ?? "", 0.9));
    }

    private static Band BandAround(double mean, double halfWidth) =>
        new(mean, Math.Max(0, mean - halfWidth), mean, Math.Min(1, mean + halfWidth));
}
