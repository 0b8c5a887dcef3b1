using System.Text.Json;
using Amrs.Engine.Store;
using Amrs.Engine.Training;

namespace Amrs.Engine.Tests.Store;

public sealed class ModelStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "amrs-store-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static WorldModelProvenance Provenance(TrainedToy trained) => new(
        TrainingDataFingerprint.Compute(trained.World.Sessions, trained.World.Catalog, trained.World.Patients),
        SimulatorConfigHash: "sim-abc123",
        SplitSeed: 42,
        Training: TinyModels.Training,
        Metrics: new Dictionary<string, double> { ["r2.valence"] = 0.41 });

    [Fact]
    public void A_model_saved_with_another_history_summary_layout_is_refused()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "older")).FullName;
        TinyModels.Trained.Ensemble.Save(folder);
        var path = Path.Combine(folder, Amrs.Engine.WorldModels.WorldModelEnsemble.DescriptionFile);
        var description = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        Assert.NotEqual(0, description["summarySize"]!.GetValue<int>());
        description["summarySize"] = description["summarySize"]!.GetValue<int>() - 5;
        File.WriteAllText(path, description.ToJsonString());

        var error = Assert.Throws<InvalidDataException>(() => Amrs.Engine.WorldModels.WorldModelEnsemble.Load(folder));

        Assert.Contains("different history summary", error.Message);
    }

    [Fact]
    public void A_world_model_whose_weights_do_not_fit_this_code_is_refused_with_a_clear_message()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "earlier")).FullName;
        var ensemble = TinyModels.Trained.Ensemble;
        ensemble.Save(folder);
        // Member 0's weights as an earlier engine would have written them: the same description, other layers.
        var member = ensemble.Members[0];
        using (var other = new Amrs.Engine.WorldModels.WorldModel(member.Options with { HeadHiddenDim = member.Options.HeadHiddenDim + 1 },
                   member.Layout, ensemble.Vocabulary.Rows))
            other.save(Path.Combine(folder, Amrs.Engine.WorldModels.WorldModelEnsemble.MemberFile(0)));

        var error = Assert.Throws<InvalidDataException>(() => Amrs.Engine.WorldModels.WorldModelEnsemble.Load(folder));

        Assert.Contains("member-0.weights", error.Message);
        Assert.Contains("do not fit this code's world model", error.Message);
        Assert.Contains("Retrain the world model with this version", error.Message);
    }

    [Fact]
    public void Saved_world_model_loads_back_with_identical_outputs()
    {
        var trained = TinyModels.Trained;
        var store = new ModelStore(_root);
        var card = store.SaveWorldModel(trained.Ensemble, Provenance(trained), TestContext.Current.CancellationToken);

        var (loaded, loadedCard) = store.LoadWorldModel(card.Id);
        using var _ = loaded;

        var history = trained.Data.Validation[0];
        using var candidates = trained.Ensemble.PrepareCandidates(trained.World.Catalog);
        using var before = trained.Ensemble.ScoreRaw(history, history.Steps[^1].Context.Next(), candidates);
        using var after = loaded.ScoreRaw(history, history.Steps[^1].Context.Next(), candidates);
        Assert.Equal(0f, (before - after).abs().max().item<float>());
        Assert.Equal(card, loadedCard with { Metrics = card.Metrics, Files = card.Files, Architecture = card.Architecture, Training = card.Training });
        Assert.Equal(trained.Ensemble.Ood, loaded.Ood, OodEquality.Instance);
    }

    [Fact]
    public void Model_card_records_provenance_hashes_and_a_readable_version_id()
    {
        var trained = TinyModels.Trained;
        var store = new ModelStore(_root);
        var card = store.SaveWorldModel(trained.Ensemble, Provenance(trained), TestContext.Current.CancellationToken);

        Assert.Matches(@"^wm-\d{8}-\d{6}-[0-9a-f]{8}$", card.Id);
        Assert.Equal("world-model", card.Kind);
        Assert.Equal("sim-abc123", card.SimulatorConfigHash);
        Assert.Equal(42, card.SplitSeed);
        Assert.Equal(0.41, card.Metrics["r2.valence"]);
        Assert.Matches("^[0-9a-f]{64}$", card.TrainingDataFingerprint);
        Assert.False(string.IsNullOrWhiteSpace(card.CodeVersion));
        Assert.Equal(["member-0.weights", "member-1.weights", "member-2.weights", "world-model.json"], card.Files.Keys.Order());
        Assert.All(card.Files.Values, hash => Assert.Matches("^[0-9a-f]{64}$", hash));
        Assert.Equal(32, card.Architecture!.Value.GetProperty("options").GetProperty("modelDim").GetInt32());

        var onDisk = JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, card.Id, ModelCard.FileName)));
        Assert.Equal(card.Id, onDisk.RootElement.GetProperty("id").GetString());
        Assert.Equal(card.Id, Assert.Single(store.List()).Id);
    }

    [Fact]
    public void A_changed_weight_file_is_refused_with_a_message_naming_the_file()
    {
        var trained = TinyModels.Trained;
        var store = new ModelStore(_root);
        var card = store.SaveWorldModel(trained.Ensemble, Provenance(trained), TestContext.Current.CancellationToken);
        var weights = Path.Combine(_root, card.Id, "member-1.weights");
        var bytes = File.ReadAllBytes(weights);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(weights, bytes);

        var error = Assert.Throws<ModelIntegrityException>(() => store.LoadWorldModel(card.Id));

        Assert.Contains(weights, error.Message);
        Assert.Contains("SHA-256", error.Message);
    }

    [Fact]
    public void A_cancelled_save_leaves_no_model_behind()
    {
        var store = new ModelStore(_root);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var draft = new ModelCardDraft { Kind = "test", IdPrefix = "t", TrainingDataFingerprint = "x" };

        Assert.Throws<OperationCanceledException>(() => store.Save(draft, folder =>
        {
            File.WriteAllText(Path.Combine(folder, "weights.bin"), "half");
            return ["weights.bin"];
        }, cancellation.Token));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));
        Assert.Empty(store.List());
    }

    [Fact]
    public void A_bundle_names_its_models_and_is_refused_when_a_model_card_changes()
    {
        var store = new ModelStore(_root);
        var draft = new ModelCardDraft { Kind = "bc-policy", IdPrefix = "bc", TrainingDataFingerprint = "f" };
        var first = store.Save(draft, folder => Write(folder, "a"), TestContext.Current.CancellationToken);
        var second = store.Save(draft with { Kind = "dpo-policy", IdPrefix = "dpo" }, folder => Write(folder, "b"),
            TestContext.Current.CancellationToken);

        var bundle = store.SaveBundle(new Dictionary<string, string>
        {
            [BundleRoles.BehaviourCloning] = first.Id,
            [BundleRoles.Dpo] = second.Id,
        });
        Assert.Equal(second.Id, store.OpenBundle(bundle.Id).ModelFor(BundleRoles.Dpo));

        var cardPath = Path.Combine(_root, first.Id, ModelCard.FileName);
        File.WriteAllText(cardPath, File.ReadAllText(cardPath).Replace("\"f\"", "\"g\""));
        var error = Assert.Throws<ModelIntegrityException>(() => store.OpenBundle(bundle.Id));
        Assert.Contains(cardPath, error.Message);

        static IReadOnlyList<string> Write(string folder, string content)
        {
            File.WriteAllText(Path.Combine(folder, "policy.weights"), content);
            return ["policy.weights"];
        }
    }

    [Fact]
    public void A_staged_bundle_is_invisible_until_published_and_then_opens_with_its_models()
    {
        var store = new ModelStore(_root);
        var staging = store.CreateStaging();
        var draft = new ModelCardDraft { Kind = "bc-policy", IdPrefix = "bc", TrainingDataFingerprint = "f" };
        var model = staging.Save(draft, folder => WriteWeights(folder, "a"), TestContext.Current.CancellationToken);
        var bundle = staging.SaveBundle(new Dictionary<string, string> { [BundleRoles.BehaviourCloning] = model.Id });
        Assert.Empty(store.List());
        Assert.Throws<ModelIntegrityException>(() => store.OpenBundle(bundle.Id));

        store.Publish(staging);

        Assert.Equal(model.Id, store.OpenBundle(bundle.Id).ModelFor(BundleRoles.BehaviourCloning));
        Assert.Equal([model.Id], store.List().Select(c => c.Id));
        Assert.False(Directory.Exists(staging.Root));
    }

    [Fact]
    public void A_discarded_staging_area_leaves_no_model_behind_and_only_the_stores_own_staging_is_accepted()
    {
        var store = new ModelStore(_root);
        var staging = store.CreateStaging();
        staging.Save(new ModelCardDraft { Kind = "test", IdPrefix = "t", TrainingDataFingerprint = "x" }, folder => WriteWeights(folder, "half"),
            TestContext.Current.CancellationToken);

        store.Discard(staging);

        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));
        var elsewhere = new ModelStore(Path.Combine(_root, "not-staging"));
        Assert.Throws<ArgumentException>(() => store.Publish(elsewhere));
    }

    private static IReadOnlyList<string> WriteWeights(string folder, string content)
    {
        File.WriteAllText(Path.Combine(folder, "policy.weights"), content);
        return ["policy.weights"];
    }

    [Fact]
    public void An_imported_model_folder_keeps_its_card_byte_for_byte_and_a_changed_or_cardless_folder_is_refused()
    {
        var elsewhere = new ModelStore(Path.Combine(_root, "elsewhere"));
        var draft = new ModelCardDraft { Kind = "world-model", IdPrefix = "wm", TrainingDataFingerprint = "true-data", SplitSeed = 7 };
        var card = elsewhere.Save(draft, folder =>
        {
            File.WriteAllText(Path.Combine(folder, "member-0.weights"), "weights");
            return ["member-0.weights"];
        }, TestContext.Current.CancellationToken);
        var source = Path.Combine(elsewhere.Root, card.Id);
        var store = new ModelStore(Path.Combine(_root, "store"));

        var imported = store.Import(source, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(card.Id, imported.Id);
        Assert.Equal("true-data", store.Open(card.Id).Card.TrainingDataFingerprint);
        Assert.Equal(File.ReadAllBytes(Path.Combine(source, ModelCard.FileName)), File.ReadAllBytes(Path.Combine(store.Root, card.Id, ModelCard.FileName)));
        Assert.Equal(card.Id, store.Import(source, cancellationToken: TestContext.Current.CancellationToken).Id);
        Assert.Equal(card.Id, store.Import(Path.Combine(store.Root, card.Id), cancellationToken: TestContext.Current.CancellationToken).Id);

        var refusedByCaller = Assert.Throws<ModelIntegrityException>(() => new ModelStore(Path.Combine(_root, "third")).Import(source,
            c => throw new ModelIntegrityException($"not {c.TrainingDataFingerprint}"), TestContext.Current.CancellationToken));
        Assert.Equal("not true-data", refusedByCaller.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root, "third")));

        File.WriteAllText(Path.Combine(source, "member-0.weights"), "changed");
        var changed = Assert.Throws<ModelIntegrityException>(() => new ModelStore(Path.Combine(_root, "fourth")).Import(source,
            cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("SHA-256", changed.Message);

        var bare = Directory.CreateDirectory(Path.Combine(_root, "bare")).FullName;
        var cardless = Assert.Throws<ModelIntegrityException>(() => store.Import(bare, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains(ModelCard.FileName, cardless.Message);
    }

    private sealed class OodEquality : IEqualityComparer<Amrs.Engine.WorldModels.OodCalibration?>
    {
        public static readonly OodEquality Instance = new();

        public bool Equals(Amrs.Engine.WorldModels.OodCalibration? x, Amrs.Engine.WorldModels.OodCalibration? y) =>
            x is not null && y is not null
            && x.TrackMean.SequenceEqual(y.TrackMean) && x.TrackPrecision.SequenceEqual(y.TrackPrecision)
            && x.PatientPrecision.SequenceEqual(y.PatientPrecision) && x.Threshold == y.Threshold
            && x.TrackScale == y.TrackScale && x.DisagreementScale == y.DisagreementScale;

        public int GetHashCode(Amrs.Engine.WorldModels.OodCalibration? obj) => 0;
    }
}
