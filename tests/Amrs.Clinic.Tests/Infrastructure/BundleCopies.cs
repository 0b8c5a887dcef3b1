using System.Text.Json;
using Amrs.Clinic.Services.Engine;
using Amrs.Core.Ethics;
using Amrs.Data;
using Amrs.Data.Governance;
using Amrs.Engine.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Infrastructure;

/// <summary>
/// Real, loadable bundles for governance tests without training: the shipped models copied into a model store and
/// recorded as a new bundle (a new id), registered as a candidate.
/// </summary>
public static class BundleCopies
{
    public static async Task<string> RegisterCandidateAsync(IServiceProvider services, string storeRoot)
    {
        var shipped = new ModelStore(ShippedModels.Folder);
        var shippedId = Directory.EnumerateDirectories(ShippedModels.Folder)
            .Select(Path.GetFileName).OfType<string>()
            .Single(d => File.Exists(Path.Combine(ShippedModels.Folder, d, BundleManifest.FileName)));
        var manifest = shipped.OpenBundle(shippedId);
        // Each copy is dated a second after the one before, so copies in different stores never share an id.
        var store = new ModelStore(storeRoot, new CopyClock(Interlocked.Increment(ref _copies)));
        foreach (var model in manifest.Models)
            CopyFolder(Path.Combine(shipped.Root, model.ModelId), Path.Combine(store.Root, model.ModelId));
        var copy = store.SaveBundle(manifest.Models.ToDictionary(m => m.Role, m => m.ModelId), "copy of the shipped bundle, for tests");
        var cards = copy.Models.Select(m => store.Open(m.ModelId).Card).ToList();

        await using var scope = services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync();
        db.ModelBundles.Add(new ModelBundleEntity
        {
            BundleId = copy.Id, Status = ModelCareStatus.Candidate, Location = store.Root, CardsJson = JsonSerializer.Serialize(cards),
            DataFingerprint = cards[0].TrainingDataFingerprint, RegisteredAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        return copy.Id;
    }

    private static int _copies;

    private sealed class CopyClock(int copy) : TimeProvider
    {
        private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Start.AddSeconds(copy);
    }

    private static void CopyFolder(string from, string to)
    {
        if (Directory.Exists(to)) return;
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
