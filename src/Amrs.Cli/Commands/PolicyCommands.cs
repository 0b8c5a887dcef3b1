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

    private sealed record DpoOptionSet(Option<double?> Beta, Option<int?> Corrections, Option<int?> Playlists, Option<int?> Epochs, Option<int?> Steps, Option<int?> Rounds)
    {
        public static DpoOptionSet Create() => new(
            new Option<double?>("--beta") { Description = "DPO beta: the pull toward the behaviour-cloning reference (default: the preset's).", HelpName = "B" },
            new Option<int?>("--correction-pairs") { Description = "Negative-feedback correction pairs (default: the preset's).", HelpName = "N" },
            new Option<int?>("--playlist-pairs") { Description = "Playlist-level pairs sampled from the reference (default: the preset's).", HelpName = "N" },
            new Option<int?>("--dpo-epochs") { Description = "DPO epochs over the pairs (default: the preset's).", HelpName = "N" },
            new Option<int?>("--step-pairs") { Description = "Step pairs: the world model's best track against the reference's first choice (default: the preset's).", HelpName = "N" },
            new Option<int?>("--step-rounds") { Description = "Rounds of step pairs, each against the fine-tuned policy's first choices (default: the preset's).", HelpName = "N" });

        public IEnumerable<Option> All => [Beta, Corrections, Playlists, Epochs, Steps, Rounds];

        public DpoOverrides Read(ParseResult parse) =>
            new(parse.GetValue(Beta), parse.GetValue(Corrections), parse.GetValue(Playlists), parse.GetValue(Epochs), parse.GetValue(Steps), parse.GetValue(Rounds));
    }

    private static Option<int?> ScaleOption(string name, string what) => new(name) { Description = $"{what} in the generated world (default: the world's own).", HelpName = "N" };

    private static Command TrainCommand()
    {
        var quick = new Option<bool>("--quick") { Description = "Small models and fewer pairs (minutes instead of tens of minutes)." };
        var world = WorldOption();
        var worldModel = new Option<string?>("--world-model")
        {
            Description = "Use this world model instead of training one: a store id, or a model folder (with its model-card.json) registered into the store unchanged. " +
                          "It must have been trained on this world with this split seed.",
            HelpName = "ID|DIR",
        };
        var to = new Option<string?>("--to") { Description = "Model store folder (default: Engine:ModelStoreRoot, else the user's data folder).", HelpName = "DIR" };
        var seed = new Option<int>("--split-seed") { Description = "Seed of the cold-start split.", DefaultValueFactory = _ => 2026 };
        var threads = new Option<int>("--threads") { Description = "Torch threads (pinned: results reproduce at a fixed count).", DefaultValueFactory = _ => 1 };
        var patients = ScaleOption("--patients", "Patients");
        var tracks = ScaleOption("--tracks", "Tracks");
        var dpoOptions = DpoOptionSet.Create();
        var command = new Command("policy", "Train the world model (unless given), the behaviour-cloning policy and the DPO policy on a generated world; " +
            "store each with a model card and record them as one bundle.")
        {
            quick, world, worldModel, to, seed, threads, patients, tracks,
        };
        foreach (var option in dpoOptions.All) command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => Task.Run(() => Train(
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error,
            Config(parse.GetValue(world)!, parse.GetValue(patients), parse.GetValue(tracks)), parse.GetValue(world)!,
            new PolicyRunSettings(Config(parse.GetValue(world)!, parse.GetValue(patients), parse.GetValue(tracks)), parse.GetValue(world)!,
                parse.GetValue(seed), parse.GetValue(quick), parse.GetValue(worldModel), dpoOptions.Read(parse)),
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
        var dpoOptions = DpoOptionSet.Create();
        foreach (var option in dpoOptions.All) command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => Task.Run(() =>
        {
            var jsonPath = Path.GetFullPath(parse.GetValue(json)!);
            return Evaluate(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error,
                Config(parse.GetValue(world)!, parse.GetValue(patients), parse.GetValue(tracks)), parse.GetValue(world)!,
                parse.GetValue(quick), dpoOptions.Read(parse), parse.GetValue(splits), parse.GetValue(seed),
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
        // The same convention as `amrs train world-model`: the fingerprint covers the whole logged world, the split seed says which part trained.
        var fingerprint = TrainingDataFingerprint.Compute(world.Sessions, world.Catalog, world.Patients);
        if (settings.WorldModel is { } given)
        {
            try
            {
                settings = settings with { WorldModel = RegisterWorldModel(store, given, fingerprint, settings.SplitSeed, worldName, cancellationToken).Id };
            }
            catch (ModelIntegrityException e)
            {
                error.WriteLine($"amrs: {e.Message}");
                return Failed;
            }
        }
        using var trained = PolicyPipeline.Train(world, settings, store, bar.Show, output, cancellationToken);
        bar.Done();
        var worldModelId = settings.WorldModel ?? store.SaveWorldModel(trained.WorldModel, new WorldModelProvenance(fingerprint, config.ConfigHash,
            settings.SplitSeed, settings.WorldModelTraining, Notes: "trained by amrs train policy"), cancellationToken).Id;
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

    /// <summary>
    /// The world model the policies are trained on, as it is: a store id, or a model folder registered unchanged
    /// (files verified, its card copied as written). Refused unless its card says it was trained on this world's
    /// data with this split (otherwise the bundle would pair policies with a model of other data, or one that
    /// saw this split's test patients).
    /// </summary>
    private static ModelCard RegisterWorldModel(ModelStore store, string given, string fingerprint, int splitSeed, string worldName,
        CancellationToken cancellationToken)
    {
        void Accept(ModelCard card)
        {
            if (card.Kind != WorldModelStore.Kind)
                throw new ModelIntegrityException($"Model '{card.Id}' is a {card.Kind}, not a {WorldModelStore.Kind}.");
            if (card.TrainingDataFingerprint != fingerprint)
                throw new ModelIntegrityException(
                    $"World model '{card.Id}' was trained on other data (fingerprint {card.TrainingDataFingerprint[..12]}..., the {worldName} world here is " +
                    $"{fingerprint[..12]}...). Train one on this world: `amrs train world-model --world {worldName} --split-seed {splitSeed}`.");
            if (card.SplitSeed != splitSeed)
                throw new ModelIntegrityException(
                    $"World model '{card.Id}' was trained with split seed {card.SplitSeed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}, " +
                    $"not {splitSeed}: it may have learned from this split's test patients. Pass --split-seed {card.SplitSeed} or train a matching one.");
        }

        if (Directory.Exists(given)) return store.Import(given, Accept, cancellationToken);
        var card = store.Open(given).Card;
        Accept(card);
        return card;
    }

    private static Dictionary<string, double> Metrics(IReadOnlyDictionary<string, double> all, string prefix) =>
        all.Where(m => m.Key.StartsWith(prefix, StringComparison.Ordinal) && double.IsFinite(m.Value)).ToDictionary(m => m.Key, m => m.Value);

    private static int Evaluate(TextWriter output, TextWriter error, WorldConfig config, string worldName, bool quick, DpoOverrides dpo, int splits, int splitSeed,
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
            var settingsK = new PolicyRunSettings(config, worldName, splitSeed + k, quick, DpoChanges: dpo);
            var folder = Path.Combine(cacheRoot, $"{worldName}-{config.ConfigHash[..10]}-{(quick ? "quick" : "full")}-split{splitSeed + k}");
            using var models = LoadOrTrain(world, settingsK, folder, bar, output, cancellationToken);
            var sessions = CachedSessions(world, models, settingsK, settings, folder, bar, cancellationToken);
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

    /// <summary>
    /// The benchmark's sessions of every policy, each read from the split's cache when it was already played with
    /// the same models and settings (a policy's sessions depend only on its own choices), else played and cached.
    /// </summary>
    private static List<SessionOutcome> CachedSessions(GeneratedWorld world, TrainedPolicies models, PolicyRunSettings run,
        BenchmarkSettings settings, string folder, PolicyProgressBar bar, CancellationToken cancellationToken)
    {
        var sessions = new List<SessionOutcome>();
        foreach (var policy in PolicyBenchmark.Policies)
        {
            // BC's and DPO's sessions, DPO's under either weights, depend on the models' options too.
            var trainedWith = policy switch
            {
                "bc" => "-" + PolicyPipeline.CloningKey(run),
                "dpo" or "dpo-va" => "-" + PolicyPipeline.DpoKey(run),
                _ => "",
            };
            var file = Path.Combine(folder, "sessions", $"{policy}-{PolicyPipeline.Key(settings)}{trainedWith}.json");
            if (File.Exists(file))
            {
                sessions.AddRange(JsonSerializer.Deserialize<SessionOutcome[]>(File.ReadAllText(file)) ?? []);
                continue;
            }
            var played = PolicyBenchmark.Run(world, models, settings, (stage, f) => bar.Show($"{stage} {policy}", f), cancellationToken, [policy]);
            bar.Done();
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file + ".incoming", JsonSerializer.Serialize(played));
            File.Move(file + ".incoming", file, overwrite: true);
            sessions.AddRange(played);
        }
        return sessions;
    }

    /// <summary>A split's models, each stage from the cache folder or trained and cached there.</summary>
    private static TrainedPolicies LoadOrTrain(GeneratedWorld world, PolicyRunSettings settings, string folder, PolicyProgressBar bar,
        TextWriter output, CancellationToken cancellationToken)
    {
        var trained = PolicyPipeline.Train(world, settings, null, bar.Show, output, cancellationToken, new PolicyStageCache(folder));
        bar.Done();
        return trained;
    }
}
