using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Amrs.Cli.Evaluation.Policy;
using Amrs.Core.Splits;
using Amrs.Engine.Policies;
using Amrs.Engine.Store;
using Amrs.Engine.WorldModels;
using Amrs.Simulation;
using Amrs.Simulation.Generation;
using Microsoft.Extensions.Configuration;
using TorchSharp;

namespace Amrs.Cli.Commands;

/// <summary>
/// <c>amrs train policy</c> (world model, behaviour cloning, DPO; saved with model cards and a bundle) and
/// <c>amrs evaluate policy</c> (every policy on cold-start test patients, on the simulator's truth and inside the
/// world model). Both work on a generated world (default or alt), never on clinic data.
/// </summary>
public static class PolicyCommands
{
    public const int Ok = 0;
    public const int Failed = 1;

    /// <summary>Adds the verbs under "train" and "evaluate", creating those commands if nobody has yet.</summary>
    public static void AddTo(RootCommand root)
    {
        Group(root, "train", "Train models.").Subcommands.Add(TrainCommand());
        Group(root, "evaluate", "Evaluate models.").Subcommands.Add(EvaluateCommand());
    }

    private static Command Group(RootCommand root, string name, string description)
    {
        var existing = root.Subcommands.FirstOrDefault(c => c.Name == name);
        if (existing is not null) return existing;
        var created = new Command(name, description);
        root.Subcommands.Add(created);
        return created;
    }

    private static Option<string> WorldOption()
    {
        var world = new Option<string>("--world") { Description = "Generated world: default (calibrated) or alt (never tuned).", DefaultValueFactory = _ => "default" };
        world.AcceptOnlyFromAmong("default", "alt");
        return world;
    }

    private static Option<int?> ScaleOption(string name, string what) => new(name) { Description = $"{what} in the generated world (default: the world's own).", HelpName = "N" };

    private static Command TrainCommand()
    {
        var quick = new Option<bool>("--quick") { Description = "Small models and fewer pairs (minutes instead of tens of minutes)." };
        var world = WorldOption();
        var worldModel = new Option<string?>("--world-model") { Description = "Use this world model (store id or folder) instead of training one.", HelpName = "ID|DIR" };
        var to = new Option<string?>("--to") { Description = "Model store folder (default: Engine:ModelStoreRoot, else the user's data folder).", HelpName = "DIR" };
        var seed = new Option<int>("--split-seed") { Description = "Seed of the cold-start split.", DefaultValueFactory = _ => 2026 };
        var threads = new Option<int>("--threads") { Description = "Torch threads (pinned: results reproduce at a fixed count).", DefaultValueFactory = _ => 1 };
        var patients = ScaleOption("--patients", "Patients");
        var tracks = ScaleOption("--tracks", "Tracks");
        var command = new Command("policy", "Train the world model (unless given), the behaviour-cloning policy and the DPO policy on a generated world; " +
            "store each with a model card and record them as one bundle.")
        {
            quick, world, worldModel, to, seed, threads, patients, tracks,
        };
        command.SetAction((parse, cancellationToken) => Task.Run(() => Train(
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error,
            Config(parse.GetValue(world)!, parse.GetValue(patients), parse.GetValue(tracks)), parse.GetValue(world)!,
            new PolicyRunSettings(Config(parse.GetValue(world)!, parse.GetValue(patients), parse.GetValue(tracks)), parse.GetValue(world)!,
                parse.GetValue(seed), parse.GetValue(quick), parse.GetValue(worldModel)),
            StoreRoot(parse.GetValue(to)), parse.GetValue(threads), cancellationToken), cancellationToken));
        return command;
    }

    private static Command EvaluateCommand()
    {
        var json = new Option<string>("--json") { Description = "Where to write the JSON report (the Markdown table and PNG plots go beside it).", Required = true, HelpName = "FILE" };
        var splits = new Option<int>("--splits") { Description = "Monte Carlo cold-start splits (models are trained and cached per split).", DefaultValueFactory = _ => 3 };
        var world = WorldOption();
        var quick = new Option<bool>("--quick") { Description = "Small models and fewer pairs." };
        var rollouts = new Option<int>("--rollouts") { Description = "Rollouts per test patient on the truth (observation noise differs).", DefaultValueFactory = _ => 2 };
        var maxPatients = new Option<int>("--max-patients") { Description = "Test patients per split (the first by id).", DefaultValueFactory = _ => 60 };
        var cache = new Option<string?>("--cache") { Description = "Folder of per-split models (default: policy-cache beside the JSON).", HelpName = "DIR" };
        var seed = new Option<int>("--split-seed") { Description = "Seed of the first split (split k uses seed + k).", DefaultValueFactory = _ => 2026 };
        var threads = new Option<int>("--threads") { Description = "Torch threads (pinned).", DefaultValueFactory = _ => 1 };
        var patients = ScaleOption("--patients", "Patients");
        var tracks = ScaleOption("--tracks", "Tracks");
        var command = new Command("policy", "Random, greedy (world-model utility), BC, DPO and the ground-truth oracle on cold-start test patients in every mode, " +
            "measured on the simulator's truth and inside the world model; mean and spread over splits; JSON, Markdown and PNG.")
        {
            json, splits, world, quick, rollouts, maxPatients, cache, seed, threads, patients, tracks,
        };
        command.SetAction((parse, cancellationToken) => Task.Run(() =>
        {
            var jsonPath = Path.GetFullPath(parse.GetValue(json)!);
            return Evaluate(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error,
                Config(parse.GetValue(world)!, parse.GetValue(patients), parse.GetValue(tracks)), parse.GetValue(world)!,
                parse.GetValue(quick), parse.GetValue(splits), parse.GetValue(seed),
                new BenchmarkSettings(Rollouts: parse.GetValue(rollouts), MaxPatients: parse.GetValue(maxPatients)),
                jsonPath, parse.GetValue(cache) ?? Path.Combine(Path.GetDirectoryName(jsonPath)!, "policy-cache"),
                parse.GetValue(threads), cancellationToken);
        }, cancellationToken));
        return command;
    }

    private static WorldConfig Config(string world, int? patients, int? tracks)
    {
        var config = world == "alt" ? WorldConfig.Alt : WorldConfig.Default;
        return config with { PatientCount = patients ?? config.PatientCount, TrackCount = tracks ?? config.TrackCount };
    }

    /// <summary>--to, else Engine:ModelStoreRoot (appsettings.json, then environment), else the user's data folder.</summary>
    internal static string StoreRoot(string? to)
    {
        if (!string.IsNullOrWhiteSpace(to)) return Path.GetFullPath(to);
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        var configured = configuration["Engine:ModelStoreRoot"];
        return !string.IsNullOrWhiteSpace(configured)
            ? Path.GetFullPath(configured)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "amrs-clinic", "models");
    }

    private static int Train(TextWriter output, TextWriter error, WorldConfig config, string worldName, PolicyRunSettings settings,
        string storeRoot, int threads, CancellationToken cancellationToken)
    {
        torch.set_num_threads(threads);
        var clock = Stopwatch.StartNew();
        var bar = PolicyProgressBar.For(error);
        output.WriteLine($"Training policies on the {worldName} world ({config.PatientCount:N0} patients, {config.TrackCount:N0} tracks), " +
            $"split seed {settings.SplitSeed}{(settings.Quick ? ", quick" : "")}; model store {storeRoot}");
        var world = WorldGenerator.Generate(config, null, cancellationToken);
        var store = new ModelStore(storeRoot);
        using var trained = PolicyPipeline.Train(world, settings, store, bar.Show, output, cancellationToken);
        bar.Done();
        var fingerprint = TrainingDataFingerprint.Compute(
            world.Sessions.Where(s => trained.Split.Train.Contains(s.PatientId)), world.Catalog,
            world.Patients.Where(p => trained.Split.Train.Contains(p.PatientId)));
        string worldModelId;
        if (settings.WorldModel is { } given && !Directory.Exists(given))
        {
            worldModelId = given;
        }
        else
        {
            worldModelId = store.SaveWorldModel(trained.WorldModel, new WorldModelProvenance(fingerprint, config.ConfigHash, settings.SplitSeed,
                settings.WorldModel is null ? settings.WorldModelTraining : null,
                Notes: settings.WorldModel is null ? "trained by amrs train policy" : $"imported from {settings.WorldModel}"), cancellationToken).Id;
        }
        var bc = store.SavePolicy(trained.Cloned, new PolicyProvenance(PolicyStore.BehaviourCloningKind, fingerprint, config.ConfigHash, settings.SplitSeed,
            new { settings.Cloning, Architecture = settings.PolicyModel }, Metrics(trained.Metrics, "bc_"), "behaviour cloning (InfoNCE over the allowed catalog)"), cancellationToken);
        var dpo = store.SavePolicy(trained.Dpo, new PolicyProvenance(PolicyStore.DpoKind, fingerprint, config.ConfigHash, settings.SplitSeed,
            new { settings.Dpo, ReferenceModel = bc.Id }, Metrics(trained.Metrics, "dpo_"), $"DPO against the frozen reference {bc.Id}, world model {worldModelId}"), cancellationToken);
        var bundle = store.SaveBundle(new Dictionary<string, string>
        {
            [BundleRoles.WorldModel] = worldModelId,
            [BundleRoles.BehaviourCloning] = bc.Id,
            [BundleRoles.Dpo] = dpo.Id,
        }, $"amrs train policy --world {worldName}{(settings.Quick ? " --quick" : "")}");
        output.WriteLine($"world model {worldModelId}");
        output.WriteLine($"bc policy   {bc.Id}");
        output.WriteLine($"dpo policy  {dpo.Id}");
        output.WriteLine($"bundle      {bundle.Id}");
        output.WriteLine($"done in {clock.Elapsed.TotalMinutes:0.0} min");
        return Ok;
    }

    private static Dictionary<string, double> Metrics(IReadOnlyDictionary<string, double> all, string prefix) =>
        all.Where(m => m.Key.StartsWith(prefix, StringComparison.Ordinal) && double.IsFinite(m.Value)).ToDictionary(m => m.Key, m => m.Value);

    private static int Evaluate(TextWriter output, TextWriter error, WorldConfig config, string worldName, bool quick, int splits, int splitSeed,
        BenchmarkSettings settings, string jsonPath, string cacheRoot, int threads, CancellationToken cancellationToken)
    {
        torch.set_num_threads(threads);
        var clock = Stopwatch.StartNew();
        var bar = PolicyProgressBar.For(error);
        var world = WorldGenerator.Generate(config, null, cancellationToken);
        var catalog = world.Catalog.ToDictionary(t => t.TrackId, StringComparer.Ordinal);
        var perSplit = new List<IReadOnlyDictionary<string, Dictionary<string, double>>>();
        var training = new List<IReadOnlyDictionary<string, double>>();
        output.WriteLine($"Evaluating policies on the {worldName} world ({config.PatientCount:N0} patients, {config.TrackCount:N0} tracks), {splits} split(s)");
        for (var k = 0; k < splits; k++)
        {
            var settingsK = new PolicyRunSettings(config, worldName, splitSeed + k, quick);
            var folder = Path.Combine(cacheRoot, $"{worldName}-{config.ConfigHash[..10]}-{(quick ? "quick" : "full")}-split{splitSeed + k}");
            using var models = LoadOrTrain(world, settingsK, folder, bar, output, cancellationToken);
            var sessions = PolicyBenchmark.Run(world, models, settings, bar.Show, cancellationToken);
            bar.Done();
            perSplit.Add(PolicyBenchmark.Policies.ToDictionary(p => p, p => PolicyMetrics.ForSplit(sessions.Where(s => s.Policy == p).ToArray(), catalog)));
            training.Add(models.Metrics);
            output.WriteLine($"split {k + 1}/{splits}: " + string.Join(", ", PolicyBenchmark.Policies.Select(p => $"{p} {perSplit[^1][p]["truth.attainment"]:0.000}")) +
                $" (ground-truth attainment), {clock.Elapsed.TotalMinutes:0.0} min so far");
        }
        var report = PolicyEvaluationReport.Build(worldName, config.ConfigHash, quick, settings, clock.Elapsed.TotalSeconds, perSplit, training);
        var folderOut = Path.GetDirectoryName(jsonPath)!;
        Directory.CreateDirectory(folderOut);
        report.WriteJson(jsonPath);
        var markdown = Path.ChangeExtension(jsonPath, ".md");
        File.WriteAllText(markdown, report.ToMarkdown());
        output.WriteLine($"wrote {jsonPath} and {markdown}");
        try
        {
            foreach (var png in PolicyPlots.Write(report, folderOut)) output.WriteLine($"wrote {png}");
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or InvalidOperationException)
        {
            error.WriteLine($"amrs: plots were not drawn ({e.GetBaseException().Message}); the JSON and Markdown are complete.");
        }
        output.WriteLine(report.ToMarkdown());
        return Ok;
    }

    /// <summary>A split's models from the cache folder, or trained and cached there.</summary>
    private static TrainedPolicies LoadOrTrain(GeneratedWorld world, PolicyRunSettings settings, string folder, PolicyProgressBar bar,
        TextWriter output, CancellationToken cancellationToken)
    {
        var (wm, bc, dpo, metricsFile) = (Path.Combine(folder, "world-model"), Path.Combine(folder, "bc"), Path.Combine(folder, "dpo"), Path.Combine(folder, "metrics.json"));
        var split = PolicyPipeline.SplitOf(world, settings.SplitSeed);
        if (File.Exists(metricsFile))
        {
            output.WriteLine($"split seed {settings.SplitSeed}: models from the cache {folder}");
            var metrics = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(metricsFile)) ?? [];
            return new TrainedPolicies(WorldModelEnsemble.Load(wm), PolicyModel.Load(bc), PolicyModel.Load(dpo), split, metrics);
        }
        var trained = PolicyPipeline.Train(world, settings, null, bar.Show, output, cancellationToken);
        bar.Done();
        var incoming = folder + ".incoming";
        if (Directory.Exists(incoming)) Directory.Delete(incoming, recursive: true);
        foreach (var sub in new[] { wm, bc, dpo }) Directory.CreateDirectory(Path.Combine(incoming, Path.GetFileName(sub)));
        trained.WorldModel.Save(Path.Combine(incoming, "world-model"));
        trained.Cloned.Save(Path.Combine(incoming, "bc"));
        trained.Dpo.Save(Path.Combine(incoming, "dpo"));
        File.WriteAllText(Path.Combine(incoming, "metrics.json"), JsonSerializer.Serialize(trained.Metrics));
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(incoming, folder);
        return trained;
    }
}
