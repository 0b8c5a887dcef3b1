using Amrs.Engine.Store;

namespace Amrs.Cli.WorldModels;

/// <summary>
/// Finds the world model a verb should use: a model id in the configured store, a model's own folder (the one
/// holding model-card.json), or a store folder such as the repository's models/ (its newest bundle's world
/// model, else its newest world model). Without a choice: the newest world model of the configured store trained
/// on the world being evaluated, else the newest world model there.
/// </summary>
internal static class ModelLocator
{
    public static (ModelStore Store, string Id) Locate(string? choice, Func<string> configuredStoreRoot, string? preferredSimulatorHash)
    {
        if (choice is not null && Directory.Exists(choice))
        {
            var folder = Path.GetFullPath(choice);
            if (File.Exists(Path.Combine(folder, ModelCard.FileName)))
                return (new ModelStore(Path.GetDirectoryName(folder.TrimEnd(Path.DirectorySeparatorChar))!), Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar)));
            var store = new ModelStore(folder);
            return (store, NewestIn(store, preferredSimulatorHash, preferBundle: true));
        }

        var configured = new ModelStore(configuredStoreRoot());
        return choice is not null ? (configured, choice) : (configured, NewestIn(configured, preferredSimulatorHash, preferBundle: false));
    }

    private static string NewestIn(ModelStore store, string? preferredSimulatorHash, bool preferBundle)
    {
        if (preferBundle)
        {
            var bundles = Directory.EnumerateDirectories(store.Root)
                .Where(d => File.Exists(Path.Combine(d, BundleManifest.FileName)))
                .Select(d => Path.GetFileName(d))
                .Order(StringComparer.Ordinal)
                .ToArray();
            if (bundles.Length > 0) return store.OpenBundle(bundles[^1]).ModelFor(BundleRoles.WorldModel);
        }
        var cards = store.List(WorldModelStore.Kind);
        var card = cards.FirstOrDefault(c => preferredSimulatorHash is not null && c.SimulatorConfigHash == preferredSimulatorHash)
                   ?? cards.FirstOrDefault()
                   ?? throw new ModelIntegrityException(
                       $"There is no world model in {store.Root}. Train one with `amrs train world-model`, or name one with --model.");
        return card.Id;
    }
}
