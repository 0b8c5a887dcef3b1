using Amrs.Core.Affect;
using Amrs.Core.Catalog;
using Amrs.Core.Ethics;
using Amrs.Core.Metrics;
using Amrs.Core.Utility;
using Amrs.Data;
using Amrs.Data.Governance;
using Amrs.Engine.Episodes;
using Amrs.Engine.Policies;
using Amrs.Engine.Rollouts;
using Amrs.Engine.Store;
using Amrs.Engine.WorldModels;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Clinic.Services.Engine;

/// <summary>
/// <see cref="ICareEngine"/> on TorchSharp: loads a registered bundle (world model, BC and DPO policies, each
/// verified against its card's hashes), keeps the most recently used one in memory with the catalog prepared,
/// and serialises all model work on one gate (TorchSharp dispose scopes are per thread; the models are not
/// thread-safe). Model work runs off the request thread and never awaits inside a scope.
/// </summary>
internal sealed class TorchCareEngine(IDbContextFactory<ClinicDbContext> contexts, ILogger<TorchCareEngine> logger) : ICareEngine, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LoadedBundle? _loaded;

    public async Task<BundleInfo?> CareBundleAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entity = await db.ModelBundles.AsNoTracking()
            .Where(b => b.Status == ModelCareStatus.PromotedForCare)
            .OrderByDescending(b => b.PromotedAt)
            .FirstOrDefaultAsync(cancellationToken);
        return entity is null ? null : Describe(entity);
    }

    public async Task<BundleInfo?> BundleAsync(string bundleId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entity = await db.ModelBundles.AsNoTracking().FirstOrDefaultAsync(b => b.BundleId == bundleId, cancellationToken);
        return entity is null ? null : Describe(entity);
    }

    public async Task<Proposal> ProposeAsync(string bundleId, PolicyKind policy, CareContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var bundle = await LoadAsync(bundleId, cancellationToken);
            return await Task.Run(() =>
            {
                var proposer = policy == PolicyKind.Dpo ? bundle.Dpo : bundle.Bc;
                var history = proposer.Policy.CreateEncoder(bundle.Catalog).EncodeHistory(context.Patient, context.History);
                var proposal = proposer.Propose(new ProposalRequest(context.Patient, context.Profile, history));
                return new Proposal(bundleId, bundle.Info.PolicyVersion(policy), proposal.Decoding, proposal.TrackIds);
            }, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<PlaylistSimulation> SimulateAsync(string bundleId, CareContext context, IReadOnlyList<string> trackIds,
        int trajectories = 64, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var bundle = await LoadAsync(bundleId, cancellationToken);
            return await Task.Run(() => Simulate(bundle, context, trackIds, trajectories), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static PlaylistSimulation Simulate(LoadedBundle bundle, CareContext context, IReadOnlyList<string> trackIds, int trajectories)
    {
        var tracks = trackIds.Select(id => bundle.TrackById.TryGetValue(id, out var t) ? t : throw new ArgumentException($"Track '{id}' is not in the catalog.")).ToList();
        var profile = context.Profile;
        var history = bundle.WorldModel.CreateEncoder(bundle.Catalog).EncodeHistory(context.Patient, context.History);
        var start = new StepContext(profile.Mode, profile.Target, StartsSession: true, PositionInSession: 0);
        using var playlist = bundle.WorldModel.PrepareCandidates(tracks);
        var rollout = new RolloutEngine(bundle.WorldModel).Rollout(new RolloutRequest(history, start, trajectories, Seed: 1), playlist);
        var ood = bundle.WorldModel.AssessPlaylist(history, start, playlist);

        var current = context.CurrentAffect ?? LastObservedAffect(context) ?? profile.Target;
        var targets = profile.FollowIsoPath ? IsoPath.Path(current, profile.Target, tracks.Count) : Enumerable.Repeat(profile.Target, tracks.Count).ToArray();
        var steps = rollout.Steps.Select((s, i) => new StepForecast(i, trackIds[i], Band(s.Valence), Band(s.Arousal), Band(s.Engagement),
            s.Rating.Mean, targets[i])).ToList();
        var affect = steps.Select(s => new AffectPoint(s.Valence.Mean, s.Arousal.Mean)).ToArray();
        var attainment = affect.Length == 0 ? double.NaN : TargetAttainment.Compute(affect, profile.Target).Attainment;
        return new PlaylistSimulation(steps, ood.IsOutOfDistribution, ood.Reason, attainment);
    }

    private static AffectPoint? LastObservedAffect(CareContext context) =>
        context.History.SelectMany(s => s.Steps).LastOrDefault(s => s.HasAffect) is { } step ? new AffectPoint(step.Valence!.Value, step.Arousal!.Value) : null;

    private static Band Band(SignalBand band) => new(band.Mean, band.P10, band.P50, band.P90);

    private async Task<LoadedBundle> LoadAsync(string bundleId, CancellationToken cancellationToken)
    {
        if (_loaded?.Info.BundleId == bundleId) return _loaded;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entity = await db.ModelBundles.AsNoTracking().FirstOrDefaultAsync(b => b.BundleId == bundleId, cancellationToken)
            ?? throw new InvalidOperationException($"Model bundle '{bundleId}' is not registered.");
        var catalog = (await db.Tracks.AsNoTracking().OrderBy(t => t.TrackId).ToListAsync(cancellationToken)).Select(t => t.ToDomain()).ToList();
        var loaded = await Task.Run(() => LoadedBundle.Load(entity, Describe(entity), catalog), cancellationToken);
        logger.LogInformation("Loaded model bundle {Bundle} with a catalog of {Tracks} tracks", bundleId, catalog.Count);
        _loaded?.Dispose();
        _loaded = loaded;
        return loaded;
    }

    private static BundleInfo Describe(ModelBundleEntity entity)
    {
        var manifest = new ModelStore(entity.Location).OpenBundle(entity.BundleId);
        return new BundleInfo(entity.BundleId, entity.Status, manifest.ModelFor(BundleRoles.WorldModel),
            manifest.ModelFor(BundleRoles.BehaviourCloning), manifest.ModelFor(BundleRoles.Dpo));
    }

    public void Dispose()
    {
        _loaded?.Dispose();
        _gate.Dispose();
    }

    /// <summary>A bundle in memory with its catalog prepared for both policies.</summary>
    private sealed class LoadedBundle : IDisposable
    {
        private LoadedBundle(BundleInfo info, WorldModelEnsemble worldModel, PlaylistProposer bc, PlaylistProposer dpo, IReadOnlyList<Track> catalog)
        {
            Info = info;
            WorldModel = worldModel;
            Bc = bc;
            Dpo = dpo;
            Catalog = catalog;
            TrackById = catalog.ToDictionary(t => t.TrackId);
        }

        public BundleInfo Info { get; }
        public WorldModelEnsemble WorldModel { get; }
        public PlaylistProposer Bc { get; }
        public PlaylistProposer Dpo { get; }
        public IReadOnlyList<Track> Catalog { get; }
        public Dictionary<string, Track> TrackById { get; }

        public static LoadedBundle Load(ModelBundleEntity entity, BundleInfo info, IReadOnlyList<Track> catalog)
        {
            var store = new ModelStore(entity.Location);
            var (worldModel, _) = store.LoadWorldModel(info.WorldModelVersion);
            var (bc, _) = store.LoadPolicy(info.BcPolicyVersion);
            var (dpo, _) = store.LoadPolicy(info.DpoPolicyVersion);
            return new LoadedBundle(info, worldModel, new PlaylistProposer(new PolicyCatalog(bc, catalog)), new PlaylistProposer(new PolicyCatalog(dpo, catalog)), catalog);
        }

        public void Dispose()
        {
            WorldModel.Dispose();
            Bc.Catalog.Dispose();
            Bc.Policy.Dispose();
            Dpo.Catalog.Dispose();
            Dpo.Policy.Dispose();
        }
    }
}
