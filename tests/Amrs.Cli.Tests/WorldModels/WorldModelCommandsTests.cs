using System.Text.Json;
using Amrs.Cli.Commands;
using Amrs.Cli.Evaluation.WorldModel;
using Amrs.Cli.WorldModels;
using Amrs.Engine.Store;
using Amrs.Simulation.Generation;

namespace Amrs.Cli.Tests.WorldModels;

[Collection(WorldModelCollection.Name)]
public sealed class WorldModelCommandsTests(TinyTrainedModel trained) : IClassFixture<TinyTrainedModel>
{
    [Fact]
    public void Training_stores_the_model_with_a_complete_card_and_a_bundle()
    {
        var card = trained.Card;
        var tiny = new WorldChoice("default", 30, 90);
        Assert.Equal(WorldModelStore.Kind, card.Kind);
        Assert.Equal(tiny.Config.ConfigHash, card.SimulatorConfigHash);
        Assert.Equal(TrainingData.FromWorld(WorldGenerator.Generate(tiny.Config, cancellationToken: TestContext.Current.CancellationToken), tiny).Fingerprint(), card.TrainingDataFingerprint);
        Assert.Equal(2026, card.SplitSeed);
        Assert.NotNull(card.Architecture);
        Assert.Contains("member-0.weights", card.Files.Keys);
        Assert.All(card.Files.Values, hash => Assert.Matches("^[0-9a-f]{64}$", hash));
        Assert.True(card.Metrics["split.test-patients"] > 0);
        Assert.Contains("valence.r2", card.Metrics.Keys);
        Assert.Contains("member 1/3 epoch  1/", trained.Training.Error);

        var bundleFolder = Path.GetDirectoryName(Directory.GetFiles(trained.Store, BundleManifest.FileName, SearchOption.AllDirectories).Single())!;
        var bundle = new ModelStore(trained.Store).OpenBundle(Path.GetFileName(bundleFolder));
        Assert.Equal(card.Id, bundle.ModelFor(BundleRoles.WorldModel));
    }

    [Fact]
    public async Task Training_is_deterministic_for_a_seed_at_a_fixed_thread_count()
    {
        var store = WorldModelCli.TemporaryFolder();
        var again = await WorldModelCli.RunAsync([.. TinyTrainedModel.Arguments, "--to", store], TestContext.Current.CancellationToken);

        Assert.True(again.ExitCode == 0, again.ToString());
        var card = new ModelStore(store).List().Single();
        Assert.Equal(trained.Card.Files["member-0.weights"], card.Files["member-0.weights"]);
        Assert.Equal(trained.Card.Files[Engine.WorldModels.WorldModelEnsemble.DescriptionFile], card.Files[Engine.WorldModels.WorldModelEnsemble.DescriptionFile]);
    }

    [Fact]
    public async Task Evaluation_writes_the_json_and_markdown_report()
    {
        var folder = WorldModelCli.TemporaryFolder();
        var json = Path.Combine(folder, "fidelity.json");

        var run = await WorldModelCli.RunAsync(["evaluate", "world-model", "--json", json, "--model", trained.ModelFolder, "--threads", "1", .. WorldModelCli.TinyWorld], TestContext.Current.CancellationToken);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        var root = report.RootElement;
        Assert.True(root.GetProperty("testPatientsHeldOut").GetBoolean());
        Assert.Equal(trained.Card.Id, root.GetProperty("modelId").GetString());
        var later = root.GetProperty("fidelity").GetProperty("later-sessions");
        Assert.Equal(8, later.GetProperty("valence").EnumerateObject().Count());
        Assert.True(later.GetProperty("valence").GetProperty("oracle").GetProperty("r2").GetDouble() > 0);
        Assert.True(later.GetProperty("valence").TryGetProperty(ReferencePredictors.HistoryInformed, out _));
        Assert.True(later.GetProperty("valence").TryGetProperty(ReferencePredictors.Posterior, out _));
        var valenceGap = root.GetProperty("oracleGaps").GetProperty("valence").GetProperty(ReferencePredictors.Model);
        Assert.Equal(valenceGap.GetProperty("total").GetDouble(),
            valenceGap.GetProperty("patient").GetDouble() + valenceGap.GetProperty("session").GetDouble() + valenceGap.GetProperty("withinSession").GetDouble(), 9);
        Assert.False(root.GetProperty("oracleGaps").GetProperty("valence").TryGetProperty(ReferencePredictors.Oracle, out _));
        Assert.Equal(3, root.GetProperty("ood").GetArrayLength());
        Assert.NotEmpty(root.GetProperty("targets").EnumerateArray());
        var markdown = File.ReadAllText(Path.ChangeExtension(json, ".md"));
        Assert.Contains("| oracle |", markdown);
        Assert.Contains("Distance from the oracle", markdown);
        Assert.Contains("amrs evaluate world-model", markdown);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public async Task Evaluation_exports_every_prediction_behind_the_report_with_the_truths_hidden_state()
    {
        var folder = WorldModelCli.TemporaryFolder();
        var json = Path.Combine(folder, "fidelity.json");
        var csv = Path.Combine(folder, "analysis", "predictions.csv");

        var run = await WorldModelCli.RunAsync(["evaluate", "world-model", "--json", json, "--predictions", csv, "--model", trained.ModelFolder, "--threads", "1", .. WorldModelCli.TinyWorld], TestContext.Current.CancellationToken);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',');
        Assert.Equal(["patient_id", "session", "position", "signal", "observed"], header[..5]);
        Assert.Equal(ReferencePredictors.All.Select(p => p.Column), header[5..(5 + ReferencePredictors.All.Count)]);
        Assert.Equal(PredictionExport.HiddenColumns, header[^PredictionExport.HiddenColumns.Length..]);
        var rows = lines[1..].Select(line => line.Split(',')).ToArray();
        Assert.All(rows, row => Assert.Equal(header.Length, row.Length));
        int Column(string name) => Array.IndexOf(header, name);
        double Value(string[] row, string name) => double.Parse(row[Column(name)], System.Globalization.CultureInfo.InvariantCulture);

        // One row per observation the report scored, signal by signal.
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        var all = report.RootElement.GetProperty("fidelity").GetProperty("all");
        foreach (var signal in Engine.Episodes.Signals.Names)
            Assert.Equal(all.GetProperty(signal).GetProperty("oracle").GetProperty("count").GetInt32(), rows.Count(r => r[Column("signal")] == signal));
        // Every session starts at the patient's baseline mood; liking is a probability-like level.
        var openings = rows.Where(r => r[Column("position")] == "0").ToArray();
        Assert.NotEmpty(openings);
        Assert.All(openings, r => Assert.Equal(Value(r, "baseline_valence"), Value(r, "mood_valence_before")));
        Assert.All(openings, r => Assert.Equal(Value(r, "baseline_arousal"), Value(r, "mood_arousal_before")));
        Assert.All(rows, r => Assert.InRange(Value(r, "liking"), 0, 1));
        // Later in a session the mood has moved away from the baseline.
        Assert.Contains(rows, r => r[Column("position")] != "0" && Value(r, "mood_valence_before") != Value(r, "baseline_valence"));
        Assert.Contains("predictions behind it", run.Output);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(csv)!, "*.tmp"));
    }

    [Fact]
    public async Task Evaluation_refuses_a_model_whose_weights_changed()
    {
        var store = trained.CopyStore();
        var weights = Path.Combine(store, trained.Card.Id, "member-0.weights");
        var bytes = File.ReadAllBytes(weights);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);
        var json = Path.Combine(store, "report.json");

        var run = await WorldModelCli.RunAsync(["evaluate", "world-model", "--json", json, "--model", Path.Combine(store, trained.Card.Id), .. WorldModelCli.TinyWorld], TestContext.Current.CancellationToken);

        Assert.Equal(WorldModelCommands.Refused, run.ExitCode);
        Assert.Contains("Refusing to load", run.Error);
        Assert.Contains("member-0.weights", run.Error);
        Assert.False(File.Exists(json));
    }

    [Fact]
    public async Task Cancelled_training_leaves_no_model_and_no_partial_files()
    {
        var store = WorldModelCli.TemporaryFolder();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = await WorldModelCli.RunAsync([.. TinyTrainedModel.Arguments, "--to", store], cancel.Token,
            onError: line => { if (line.Contains("epoch", StringComparison.Ordinal)) cancel.Cancel(); });

        Assert.Equal(WorldModelCommands.Cancelled, run.ExitCode);
        Assert.Contains("cancelled", run.Error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(store));
    }

    [Fact]
    public async Task Sizing_a_world_without_choosing_one_is_refused_with_a_reason()
    {
        var run = await WorldModelCli.RunAsync(["train", "world-model", "--patients", "10", "--to", WorldModelCli.TemporaryFolder()], TestContext.Current.CancellationToken);

        Assert.Equal(WorldModelCommands.Refused, run.ExitCode);
        Assert.Contains("--world", run.Error);
    }

    [Fact]
    public async Task An_unknown_world_is_a_parse_error()
    {
        var run = await WorldModelCli.RunAsync(["train", "world-model", "--world", "mars"], TestContext.Current.CancellationToken);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("mars", run.Error);
    }
}
