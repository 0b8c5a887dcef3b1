using Amrs.Data;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Clinic.Services.Engine;

/// <summary>
/// The bundles in memory: the most recently used few (a care bundle and a candidate previewed beside it), loaded on
/// first use. Only the engine thread touches them, so a bundle is never disposed while a batch still uses it.
/// </summary>
internal sealed class LoadedBundles(IDbContextFactory<ClinicDbContext> contexts, ILogger logger, int capacity = 2) : IDisposable
{
    private readonly List<LoadedBundle> _recent = [];

    public LoadedBundle Get(string bundleId)
    {
        var loaded = _recent.FirstOrDefault(b => b.Info.BundleId == bundleId);
        if (loaded is null)
        {
            loaded = LoadedBundle.Load(contexts, bundleId);
            logger.LogInformation("Loaded model bundle {Bundle} with a catalog of {Tracks} tracks", bundleId, loaded.Catalog.Count);
            if (_recent.Count == capacity)
            {
                _recent[^1].Dispose();
                _recent.RemoveAt(_recent.Count - 1);
            }
        }
        else
        {
            _recent.Remove(loaded);
        }
        _recent.Insert(0, loaded);
        return loaded;
    }

    public void Dispose()
    {
        foreach (var bundle in _recent) bundle.Dispose();
        _recent.Clear();
    }
}
