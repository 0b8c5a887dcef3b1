using Amrs.Core.Catalog;
using Amrs.Data;
using Amrs.Data.Governance;
using Amrs.Engine.Episodes;
using Amrs.Engine.Policies;
using Amrs.Engine.Store;
using Amrs.Engine.WorldModels;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Clinic.Services.Engine;

/// <summary>A bundle in memory with its catalog prepared for the world model and both policies. Used on the engine thread only.</summary>
internal sealed class LoadedBundle : IDisposable
{
    private LoadedBundle(BundleInfo info, WorldModelEnsemble worldModel, PlaylistProposer bc, PlaylistProposer dpo, IReadOnlyList<Track> catalog)
    {
        Info = info;
        WorldModel = worldModel;
        Bc = bc;
        Dpo = dpo;
        Catalog = catalog;
        TrackById = catalog.ToDictionary(t => t.TrackId);
        WorldModelEncoder = worldModel.CreateEncoder(catalog);
        BcEncoder = bc.Policy.CreateEncoder(catalog);
        DpoEncoder = dpo.Policy.CreateEncoder(catalog);
    }

    public BundleInfo Info { get; }
    public WorldModelEnsemble WorldModel { get; }
    public PlaylistProposer Bc { get; }
    public PlaylistProposer Dpo { get; }
    public IReadOnlyList<Track> Catalog { get; }
    public Dictionary<string, Track> TrackById { get; }
    public EpisodeEncoder WorldModelEncoder { get; }
    private EpisodeEncoder BcEncoder { get; }
    private EpisodeEncoder DpoEncoder { get; }

    public PlaylistProposer Proposer(PolicyKind kind) => kind == PolicyKind.Dpo ? Dpo : Bc;

    public EpisodeEncoder PolicyEncoder(PolicyKind kind) => kind == PolicyKind.Dpo ? DpoEncoder : BcEncoder;

    /// <summary>Reads the bundle's registration and the catalog, then loads and verifies its models (synchronously: this is the engine thread).</summary>
    public static LoadedBundle Load(IDbContextFactory<ClinicDbContext> contexts, string bundleId)
    {
        ModelBundleEntity entity;
        List<Track> catalog;
        using (var db = contexts.CreateDbContext())
        {
            entity = db.ModelBundles.AsNoTracking().FirstOrDefault(b => b.BundleId == bundleId)
                ?? throw new InvalidOperationException($"Model bundle '{bundleId}' is not registered.");
            catalog = db.Tracks.AsNoTracking().OrderBy(t => t.TrackId).AsEnumerable().Select(t => t.ToDomain()).ToList();
        }
        var store = new ModelStore(entity.Location);
        var info = TorchCareEngine.Describe(entity);
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
