using System.Globalization;
using System.Text.Json;

namespace Amrs.Engine.Store;

/// <summary>
/// A folder of model versions: root/&lt;id&gt;/ holds a model's files and its <see cref="ModelCard"/>;
/// root/&lt;bundle id&gt;/bundle.json names models trained together. A version is written into a hidden
/// temporary folder and renamed into place only when complete, so a cancelled or failed save never leaves a
/// half-written model. Opening a version re-hashes every file and refuses any mismatch.
/// </summary>
public sealed class ModelStore
{
    private const string IncomingPrefix = ".incoming-";
    private readonly TimeProvider _clock;

    public ModelStore(string root, TimeProvider? clock = null)
    {
        Root = Path.GetFullPath(root);
        _clock = clock ?? TimeProvider.System;
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>
    /// Stores a new version: <paramref name="writeFiles"/> writes the model's files into the folder it is given
    /// and returns their names. Returns the card as stored (with id and hashes).
    /// </summary>
    public ModelCard Save(ModelCardDraft draft, Func<string, IReadOnlyList<string>> writeFiles,
        CancellationToken cancellationToken = default)
    {
        var incoming = Path.Combine(Root, IncomingPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(incoming);
        try
        {
            var names = writeFiles(incoming);
            cancellationToken.ThrowIfCancellationRequested();
            var files = names
                .Where(n => n != ModelCard.FileName)
                .Distinct(StringComparer.Ordinal)
                .OrderBy(n => n, StringComparer.Ordinal)
                .ToDictionary(n => n, n => Sha256.OfFile(Path.Combine(incoming, RequireFileName(n))), StringComparer.Ordinal);
            var createdAt = _clock.GetUtcNow();
            var contentHash = Sha256.OfText(string.Join('\n', files.Select(f => $"{f.Key}:{f.Value}")));
            var id = UniqueId($"{draft.IdPrefix}-{createdAt.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{contentHash[..8]}");
            var card = new ModelCard
            {
                Id = id,
                Kind = draft.Kind,
                CreatedAt = createdAt,
                CodeVersion = ModelCard.CurrentCodeVersion,
                Architecture = draft.Architecture,
                Training = draft.Training,
                TrainingDataFingerprint = draft.TrainingDataFingerprint,
                SimulatorConfigHash = draft.SimulatorConfigHash,
                SplitSeed = draft.SplitSeed,
                Metrics = draft.Metrics,
                Files = files,
                Notes = draft.Notes,
            };
            File.WriteAllText(Path.Combine(incoming, ModelCard.FileName), JsonSerializer.Serialize(card, StoreJson.Options));
            cancellationToken.ThrowIfCancellationRequested();
            Directory.Move(incoming, Path.Combine(Root, id));
            return card;
        }
        catch
        {
            TryDelete(incoming);
            throw;
        }
    }

    /// <summary>Reads a version's card and checks every listed file's SHA-256. Throws <see cref="ModelIntegrityException"/>.</summary>
    public StoredModel Open(string id)
    {
        var folder = Path.Combine(Root, RequireFileName(id));
        var cardPath = Path.Combine(folder, ModelCard.FileName);
        if (!File.Exists(cardPath))
            throw new ModelIntegrityException($"Model '{id}' not found: there is no '{cardPath}'.");
        var card = ReadJson<ModelCard>(cardPath);
        if (card.Id != id)
            throw new ModelIntegrityException($"The model card '{cardPath}' names model '{card.Id}', not '{id}'; refusing to load.");
        foreach (var (name, expected) in card.Files)
        {
            var path = Path.Combine(folder, RequireFileName(name));
            if (!File.Exists(path))
                throw new ModelIntegrityException($"Model '{id}' is incomplete: file '{path}' listed in its model card is missing.");
            var actual = Sha256.OfFile(path);
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                throw new ModelIntegrityException(
                    $"Refusing to load model '{id}': file '{path}' has SHA-256 {actual}, but its model card records {expected}. " +
                    "The file was changed or is corrupt; restore it or retrain the model.");
        }
        return new StoredModel(card, folder);
    }

    /// <summary>Cards of all stored models, newest first (unreadable folders are skipped).</summary>
    public IReadOnlyList<ModelCard> List(string? kind = null)
    {
        var cards = new List<ModelCard>();
        foreach (var folder in Directory.EnumerateDirectories(Root))
        {
            var cardPath = Path.Combine(folder, ModelCard.FileName);
            if (Path.GetFileName(folder).StartsWith(IncomingPrefix, StringComparison.Ordinal) || !File.Exists(cardPath)) continue;
            try
            {
                var card = ReadJson<ModelCard>(cardPath);
                if (kind is null || card.Kind == kind) cards.Add(card);
            }
            catch (JsonException)
            {
                // A damaged card is reported when the model is opened, not when listing.
            }
        }
        return cards.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Records that models were trained together. Every model must already be stored and intact.</summary>
    public BundleManifest SaveBundle(IReadOnlyDictionary<string, string> modelIdByRole, string? notes = null)
    {
        var entries = modelIdByRole
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e =>
            {
                var model = Open(e.Value);
                return new BundleEntry(e.Key, e.Value, Sha256.OfFile(Path.Combine(model.Folder, ModelCard.FileName)));
            })
            .ToArray();
        var createdAt = _clock.GetUtcNow();
        var contentHash = Sha256.OfText(string.Join('\n', entries.Select(e => $"{e.Role}:{e.ModelId}:{e.CardSha256}")));
        var id = UniqueId($"bundle-{createdAt.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{contentHash[..8]}");
        var manifest = new BundleManifest
        {
            Id = id, CreatedAt = createdAt, CodeVersion = ModelCard.CurrentCodeVersion, Models = entries, Notes = notes,
        };
        var incoming = Path.Combine(Root, IncomingPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(incoming);
        try
        {
            File.WriteAllText(Path.Combine(incoming, BundleManifest.FileName), JsonSerializer.Serialize(manifest, StoreJson.Options));
            Directory.Move(incoming, Path.Combine(Root, id));
        }
        catch
        {
            TryDelete(incoming);
            throw;
        }
        return manifest;
    }

    /// <summary>Reads a bundle and verifies that each model's card and files are unchanged.</summary>
    public BundleManifest OpenBundle(string id)
    {
        var path = Path.Combine(Root, RequireFileName(id), BundleManifest.FileName);
        if (!File.Exists(path)) throw new ModelIntegrityException($"Bundle '{id}' not found: there is no '{path}'.");
        var manifest = ReadJson<BundleManifest>(path);
        foreach (var entry in manifest.Models)
        {
            var model = Open(entry.ModelId);
            var cardPath = Path.Combine(model.Folder, ModelCard.FileName);
            var actual = Sha256.OfFile(cardPath);
            if (actual != entry.CardSha256)
                throw new ModelIntegrityException(
                    $"Refusing bundle '{id}': the model card '{cardPath}' ({entry.Role}) changed since the bundle was made.");
        }
        return manifest;
    }

    /// <summary>
    /// An empty store inside this one's hidden incoming area: a run that stores several models (a bundle) writes
    /// them there and <see cref="Publish"/>es them only when all are complete; <see cref="Discard"/> (or
    /// <see cref="CleanIncoming"/> after a crash) removes it. Listing this store never shows its contents.
    /// </summary>
    public ModelStore CreateStaging() => new(Path.Combine(Root, IncomingPrefix + "staging-" + Guid.NewGuid().ToString("N")), _clock);

    /// <summary>
    /// Moves every version of <paramref name="staging"/> into this store, models first and bundles last (a bundle
    /// appears only when every model it names is in place), then removes the staging folder.
    /// </summary>
    public void Publish(ModelStore staging)
    {
        RequireStagingOfThis(staging);
        var folders = Directory.EnumerateDirectories(staging.Root)
            .OrderBy(f => File.Exists(Path.Combine(f, BundleManifest.FileName)) ? 1 : 0)
            .ThenBy(f => f, StringComparer.Ordinal)
            .ToList();
        foreach (var folder in folders)
        {
            var target = Path.Combine(Root, Path.GetFileName(folder));
            if (Directory.Exists(target))
                throw new IOException($"Cannot publish '{Path.GetFileName(folder)}': the model store already holds a version of that id.");
        }
        foreach (var folder in folders) Directory.Move(folder, Path.Combine(Root, Path.GetFileName(folder)));
        TryDelete(staging.Root);
    }

    /// <summary>Removes a staging store and everything in it (a failed or cancelled run).</summary>
    public void Discard(ModelStore staging)
    {
        RequireStagingOfThis(staging);
        TryDelete(staging.Root);
    }

    private void RequireStagingOfThis(ModelStore staging)
    {
        if (Path.GetDirectoryName(staging.Root) != Root || !Path.GetFileName(staging.Root).StartsWith(IncomingPrefix, StringComparison.Ordinal))
            throw new ArgumentException($"'{staging.Root}' is not a staging area of the model store '{Root}'.", nameof(staging));
    }

    /// <summary>Removes temporary folders left by a process that was killed mid-save.</summary>
    public int CleanIncoming()
    {
        var removed = 0;
        foreach (var folder in Directory.EnumerateDirectories(Root, IncomingPrefix + "*"))
        {
            TryDelete(folder);
            removed++;
        }
        return removed;
    }

    private string UniqueId(string id)
    {
        var candidate = id;
        for (var n = 2; Directory.Exists(Path.Combine(Root, candidate)); n++) candidate = $"{id}-{n}";
        return candidate;
    }

    private static T ReadJson<T>(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), StoreJson.Options)
                   ?? throw new ModelIntegrityException($"'{path}' is empty.");
        }
        catch (JsonException e)
        {
            throw new ModelIntegrityException($"'{path}' is not valid JSON ({e.Message}); refusing to load.");
        }
    }

    // Ids and file names come from cards on disk: never let one escape the store folder.
    private static string RequireFileName(string name) =>
        !string.IsNullOrWhiteSpace(name) && Path.GetFileName(name) == name && name is not ("." or "..")
            ? name
            : throw new ModelIntegrityException($"'{name}' is not a plain file or folder name.");

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: CleanIncoming removes leftovers later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>A verified model version: its card and the folder holding its files.</summary>
public sealed record StoredModel(ModelCard Card, string Folder);
