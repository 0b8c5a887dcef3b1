using Amrs.Core.Ethics;
using Amrs.Data;
using Amrs.Data.Governance;
using Amrs.Engine.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TorchSharp;

namespace Amrs.Clinic.Services.Engine;

/// <summary>
/// <see cref="ICareEngine"/> on TorchSharp: loads a registered bundle (world model, BC and DPO policies, each
/// verified against its card's hashes) and keeps the most recently used ones in memory with the catalog prepared.
/// All model work runs on one dedicated <see cref="EngineThread"/> (the models are not thread-safe and TorchSharp
/// dispose scopes are per thread), which serves requests that arrive together as one batch (<see cref="CareBatch"/>).
/// </summary>
internal sealed class TorchCareEngine : ICareEngine, IDisposable
{
    private readonly IDbContextFactory<ClinicDbContext> _contexts;
    private readonly LoadedBundles _bundles;
    private readonly EngineThread _thread;
    private readonly ILogger _logger;

    public TorchCareEngine(IDbContextFactory<ClinicDbContext> contexts, IOptions<EngineExecutionOptions> options, ILogger<TorchCareEngine> logger)
    {
        _contexts = contexts;
        _logger = logger;
        _bundles = new LoadedBundles(contexts, logger);
        var execution = options.Value;
        _thread = new EngineThread(RunBatch, TimeSpan.FromMilliseconds(execution.BatchWindowMilliseconds), execution.MaxBatch, logger,
            initialise: () => torch.set_num_threads(execution.TorchThreads ?? 1));
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Location, string BundleId), (string WorldModel, string Cloning, string Dpo)>
        ManifestVersions = new();

    public async Task<BundleInfo?> CareBundleAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var entity = await db.ModelBundles.AsNoTracking()
            .Where(b => b.Status == ModelCareStatus.PromotedForCare)
            .OrderByDescending(b => b.PromotedAt)
            .FirstOrDefaultAsync(cancellationToken);
        return entity is null ? null : Describe(entity);
    }

    public async Task<BundleInfo?> BundleAsync(string bundleId, CancellationToken cancellationToken = default)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var entity = await db.ModelBundles.AsNoTracking().FirstOrDefaultAsync(b => b.BundleId == bundleId, cancellationToken);
        return entity is null ? null : Describe(entity);
    }

    public Task VerifyLoadsAsync(string bundleId, CancellationToken cancellationToken = default) =>
        _thread.RunAsync(new LoadJob(bundleId), cancellationToken);

    public Task<Proposal> ProposeAsync(string bundleId, PolicyKind policy, CareContext context, CancellationToken cancellationToken = default) =>
        _thread.RunAsync(new ProposeJob(bundleId, policy, context), cancellationToken);

    public Task<PlaylistSimulation> SimulateAsync(string bundleId, CareContext context, IReadOnlyList<string> trackIds,
        int trajectories = 64, CancellationToken cancellationToken = default) =>
        _thread.RunAsync(new SimulateJob(bundleId, context, trackIds, trajectories), cancellationToken);

    /// <summary>
    /// One batch from the engine thread: requests grouped by bundle and kind, each group in shared tensor calls.
    /// Proposals go first: they are cheap, and a preview cannot ask for its simulations before it has them, so
    /// answering them before a long simulation lets those previews' simulations join the next batch.
    /// </summary>
    private void RunBatch(IReadOnlyList<EngineJob> jobs)
    {
        foreach (var group in jobs.GroupBy(j => j.BatchKey, StringComparer.Ordinal).OrderBy(g => g.First() is ProposeJob ? 0 : 1))
        {
            var first = group.First();
            if (first is LoadJob)
            {
                VerifyLoads(first.BundleId, group.Cast<LoadJob>().ToArray());
                continue;
            }
            LoadedBundle bundle;
            try
            {
                bundle = _bundles.Get(first.BundleId);
            }
            catch (Exception e) when (CannotLoad(e))
            {
                _logger.LogWarning(e, "Model bundle {Bundle} cannot be loaded", first.BundleId);
                var unavailable = new ModelBundleUnavailableException(first.BundleId, e);
                foreach (var job in group) job.Fail(unavailable);
                continue;
            }
            if (first is ProposeJob propose) CareBatch.Propose(bundle, propose.Policy, group.Cast<ProposeJob>().ToArray());
            else CareBatch.Simulate(bundle, group.Cast<SimulateJob>().ToArray());
        }
    }

    /// <summary>
    /// Loads the bundle afresh from its files, not from memory (its manifest and every model verified against their
    /// hashes now), then lets it go: what care would meet after a restart.
    /// </summary>
    private void VerifyLoads(string bundleId, IReadOnlyList<LoadJob> jobs)
    {
        try
        {
            using (var db = _contexts.CreateDbContext())
            {
                var entity = db.ModelBundles.AsNoTracking().FirstOrDefault(b => b.BundleId == bundleId)
                    ?? throw new InvalidOperationException($"Model bundle '{bundleId}' is not registered.");
                new ModelStore(entity.Location).OpenBundle(bundleId);
            }
            using var loaded = LoadedBundle.Load(_contexts, bundleId);
            foreach (var job in jobs) job.Succeed(true);
        }
        catch (Exception e) when (CannotLoad(e))
        {
            _logger.LogWarning(e, "Model bundle {Bundle} cannot be loaded", bundleId);
            var unavailable = new ModelBundleUnavailableException(bundleId, e);
            foreach (var job in jobs) job.Fail(unavailable);
        }
    }

    /// <summary>
    /// The bundle's model versions, read from its manifest (hashes verified) once per bundle and location: a bundle's
    /// manifest never changes, and the models themselves are verified again whenever they are loaded. Previews ask
    /// for the care bundle every time; re-hashing its files each time cost about 10 ms.
    /// </summary>
    internal static BundleInfo Describe(ModelBundleEntity entity)
    {
        (string WorldModel, string Cloning, string Dpo) versions;
        try
        {
            versions = ManifestVersions.GetOrAdd((entity.Location, entity.BundleId), key =>
            {
                var manifest = new ModelStore(key.Location).OpenBundle(key.BundleId);
                return (manifest.ModelFor(BundleRoles.WorldModel), manifest.ModelFor(BundleRoles.BehaviourCloning), manifest.ModelFor(BundleRoles.Dpo));
            });
        }
        catch (Exception e) when (CannotLoad(e))
        {
            throw new ModelBundleUnavailableException(entity.BundleId, e);
        }
        return new BundleInfo(entity.BundleId, entity.Status, versions.WorldModel, versions.Cloning, versions.Dpo);
    }

    /// <summary>
    /// How a bundle that cannot be loaded shows: files missing (IO), changed (integrity), a manifest without a role
    /// (invalid operation), or models written by an earlier engine (invalid data).
    /// </summary>
    private static bool CannotLoad(Exception e) =>
        e is InvalidOperationException or ModelIntegrityException or IOException or InvalidDataException;


    public void Dispose()
    {
        _thread.Dispose();
        _bundles.Dispose();
    }
}
