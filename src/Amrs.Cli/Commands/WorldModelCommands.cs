using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Amrs.Cli.Evaluation.WorldModel;
using Amrs.Cli.WorldModels;
using Amrs.Data.Database;
using Amrs.Engine.Store;
using Amrs.Engine.Training;
using Amrs.Simulation.Generation;
using TorchSharp;

namespace Amrs.Cli.Commands;

/// <summary>
/// <c>amrs train world-model</c> and <c>amrs evaluate world-model</c>. The verbs attach under the shared
/// <c>train</c> and <c>evaluate</c> commands (created if no other verb made them yet).
/// </summary>
public static class WorldModelCommands
{
    public const int Ok = 0;
    public const int Refused = 1;
    public const int Configuration = 2;
    public const int Cancelled = 130;

    /// <summary>
    /// One torch thread unless configured: on a shared 2-core machine two threads spun waiting for each other and
    /// an epoch took 90 s instead of 3 s (measured); results reproduce only at a fixed count anyway.
    /// </summary>
    public const int DefaultThreads = 1;

    public static void AddTo(RootCommand root)
    {
        Parent(root, "train", "Train models: the world model (and the policies).").Subcommands.Add(Train());
        Parent(root, "evaluate", "Evaluate trained models against the generated world's truth.").Subcommands.Add(Evaluate());
    }

    private static Command Parent(RootCommand root, string name, string description)
    {
        var existing = root.Subcommands.FirstOrDefault(c => c.Name == name);
        if (existing is not null) return existing;
        var command = new Command(name, description);
        root.Subcommands.Add(command);
        return command;
    }

    private static Option<string?> WorldOption(string description)
    {
        var option = new Option<string?>("--world") { Description = description, HelpName = "default|alt" };
        option.AcceptOnlyFromAmong([.. WorldChoice.Names]);
        return option;
    }

    private static Option<int?> Positive(string name, string description)
    {
        var option = new Option<int?>(name) { Description = description, HelpName = "N" };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is <= 0) r.AddError($"{name} must be positive.");
        });
        return option;
    }

    public static Command Train()
    {
        var quick = new Option<bool>("--quick") { Description = "The small, fast preset (about a minute on 2 cores) instead of the default one." };
        var seed = new Option<int>("--seed") { Description = "Training seed (weights, batch order).", DefaultValueFactory = _ => TrainingOptions.Default.Seed, HelpName = "S" };
        var splitSeed = new Option<int>("--split-seed")
        {
            Description = "Seed of the 80/10/10 cold-start split by patient (recorded in the model card).",
            DefaultValueFactory = _ => WorldModelTraining.DefaultSplitSeed, HelpName = "S",
        };
        var threads = Positive("--threads", "Torch threads (default Engine:TorchThreads, else 1). Results reproduce bit for bit at a fixed count.");
        var world = WorldOption("Train on a world generated on the fly instead of the configured database.");
        var patients = Positive("--patients", "With --world: patients in the generated cohort (default the world's own).");
        var tracks = Positive("--tracks", "With --world: tracks in the generated catalog (default the world's own).");
        var to = new Option<DirectoryInfo?>("--to") { Description = "Store the model in this folder (a model store, e.g. models/) instead of Engine:ModelStoreRoot.", HelpName = "DIR" };
        var members = Positive("--members", "Ensemble members (overrides the preset: fewer is faster, the uncertainty coarser).");
        var epochs = Positive("--max-epochs", "Most epochs per member (overrides the preset; early stopping may end sooner).");
        var bundle = new Option<bool>("--bundle") { Description = "Also record a bundle (bundle.json) naming the new world model, as shipped in models/." };
        var filterDim = new Option<int?>("--filter-dim")
        {
            Description = "Features per signal of the model's patient filter (the presets use 8; 0 trains a model without one, see the Engine README).",
            HelpName = "N",
        };
        filterDim.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 0) r.AddError("--filter-dim must be 0 (no filter) or positive.");
        });

        var command = new Command("world-model",
            "Train the world model (causal Transformer ensemble) on the training patients of a cold-start split, with early stopping " +
            "on the validation patients, and store it with its model card. Data: the configured database, or --world.")
        {
            quick, seed, splitSeed, threads, world, patients, tracks, to, members, epochs, bundle, filterDim,
        };
        command.SetAction((parse, cancellationToken) => RunVerb(parse, async (output, error) =>
        {
            var configuration = CliConfiguration.Load();
            var choice = Choice(parse.GetValue(world), parse.GetValue(patients), parse.GetValue(tracks));
            var storeRoot = parse.GetValue(to)?.FullName ?? CliConfiguration.ModelStoreRoot(configuration);
            var threadCount = parse.GetValue(threads) ?? CliConfiguration.Engine(configuration).TorchThreads ?? DefaultThreads;

            TrainingData data;
            if (choice is null)
            {
                await output.WriteLineAsync("Reading the logged data from the configured database ...");
                data = await DatabaseTrainingData.LoadAsync(configuration, cancellationToken);
            }
            else
            {
                await output.WriteLineAsync($"Generating the {choice} world ...");
                data = TrainingData.FromWorld(await Task.Run(() => WorldGenerator.Generate(choice.Config, cancellationToken: cancellationToken), cancellationToken), choice);
            }
            await output.WriteLineAsync(
                $"Training on {data.Source}: {data.Patients.Count:N0} patients, {data.Sessions.Count:N0} sessions, {data.Catalog.Count:N0} tracks; " +
                $"{(parse.GetValue(quick) ? "quick" : "default")} preset, seed {parse.GetValue(seed)}, split seed {parse.GetValue(splitSeed)}, {threadCount} torch thread(s).");

            var request = new WorldModelTrainingRequest(data, parse.GetValue(quick), parse.GetValue(seed), parse.GetValue(splitSeed),
                threadCount, storeRoot, parse.GetValue(bundle), CommandLine(parse), parse.GetValue(members), parse.GetValue(epochs),
                parse.GetValue(filterDim));
            var bar = TrainingProgressBar.For(error);
            TrainedWorldModel trained;
            try
            {
                trained = await Task.Factory.StartNew(() => WorldModelTraining.Run(request, bar, cancellationToken),
                    cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
            finally
            {
                bar.Done();
            }

            var card = trained.Card;
            await output.WriteLineAsync($"Stored world model {card.Id} in {trained.Folder} ({Size(trained.Folder)}), trained in {trained.Duration:mm\\:ss}.");
            foreach (var m in trained.Result.Members)
                await output.WriteLineAsync($"  member {m.Member + 1}: {m.Epochs} epochs, best validation loss {m.BestValidationLoss:0.0000}");
            foreach (var name in new[] { "valence.r2.later-sessions", "arousal.r2.later-sessions", "engagement.r2", "valence.coverage80" })
                if (card.Metrics.TryGetValue(name, out var value)) await output.WriteLineAsync($"  test {name}: {value:0.000}");
            if (trained.Bundle is { } b) await output.WriteLineAsync($"Recorded bundle {b.Id}.");
            return Ok;
        }, cancellationToken));
        return command;
    }

    public static Command Evaluate()
    {
        var json = new Option<FileInfo>("--json") { Description = "Write the report as JSON to this file (a Markdown table goes beside it, .md).", Required = true, HelpName = "FILE" };
        var world = WorldOption("The generated world to evaluate on (default: default).");
        var patients = Positive("--patients", "Patients in the generated cohort (default the world's own; must match the model's training data to hold patients out).");
        var tracks = Positive("--tracks", "Tracks in the generated catalog (default the world's own).");
        var model = new Option<string?>("--model") { Description = "A model id in the model store, a model folder, or a store folder such as models/ (default: the newest world model in the store).", HelpName = "ID|DIR" };
        var threads = Positive("--threads", "Torch threads (default Engine:TorchThreads, else 1).");
        var realSongs = new Option<FileInfo?>("--real-songs")
        {
            Description = "Also flag previews built from these real songs (a JSON array of {id, title, artist, v, a}, as PMEmo's scatter.json).",
            HelpName = "FILE",
        };
        var predictions = new Option<FileInfo?>("--predictions")
        {
            Description = "Also write every one-step prediction behind the report as CSV (one row per observed signal: each predictor's " +
                "expectation and the truth's hidden mood, liking, entrainment rate and baseline), for error analysis.",
            HelpName = "FILE",
        };

        var command = new Command("world-model",
            "Score a world model one step ahead on cold-start test patients against the simulator's truth: R², MAE, AUC, Brier and 80% band " +
            "coverage beside the oracle, the population oracle and baselines, by history length; out-of-distribution flag rates.")
        {
            json, world, patients, tracks, model, threads, realSongs, predictions,
        };
        command.SetAction((parse, cancellationToken) => RunVerb(parse, async (output, error) =>
        {
            var configuration = CliConfiguration.Load();
            var choice = Choice(parse.GetValue(world) ?? WorldChoice.DefaultName, parse.GetValue(patients), parse.GetValue(tracks))!;
            torch.set_num_threads(parse.GetValue(threads) ?? CliConfiguration.Engine(configuration).TorchThreads ?? DefaultThreads);
            var (store, id) = ModelLocator.Locate(parse.GetValue(model), () => CliConfiguration.ModelStoreRoot(configuration), choice.Config.ConfigHash);
            var songs = parse.GetValue(realSongs) is { } songFile ? RealSongs.Load(songFile.FullName) : null;
            var (ensemble, card) = store.LoadWorldModel(id);
            using var loaded = ensemble;
            await output.WriteLineAsync($"Evaluating world model {card.Id} on the {choice} world ...");

            var predictionsFile = parse.GetValue(predictions);
            using var predictionRows = predictionsFile is null ? null : new StringWriter(CultureInfo.InvariantCulture);
            var report = await Task.Factory.StartNew(() =>
            {
                var evaluated = WorldGenerator.Generate(choice.Config, cancellationToken: cancellationToken);
                var other = WorldGenerator.Generate(choice.Other.Config, cancellationToken: cancellationToken);
                return FidelityEvaluation.Run(loaded, card, choice, evaluated, other, CommandLine(parse), songs, predictionRows);
            }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

            var jsonFile = parse.GetValue(json)!;
            var markdownFile = Path.ChangeExtension(jsonFile.FullName, ".md");
            Directory.CreateDirectory(jsonFile.DirectoryName!);
            await WriteAtomicallyAsync(jsonFile.FullName, report.ToJson(), cancellationToken);
            await WriteAtomicallyAsync(markdownFile, report.ToMarkdown(), cancellationToken);
            if (predictionsFile is not null)
            {
                Directory.CreateDirectory(predictionsFile.DirectoryName!);
                await WriteAtomicallyAsync(predictionsFile.FullName, predictionRows!.ToString(), cancellationToken);
                await output.WriteLineAsync($"Wrote the predictions behind it to {predictionsFile.FullName}.");
            }
            var met = report.Targets.Count(t => t.Met);
            await output.WriteLineAsync($"Wrote {jsonFile.FullName} and {markdownFile} ({report.Seconds:0.0} s). Targets met: {met} of {report.Targets.Count}.");
            foreach (var t in report.Targets)
                await output.WriteLineAsync($"  {(t.Met ? "met    " : "NOT met")}  {t.Name}: {t.Measured:0.000} (required {t.Requirement})");
            if (!report.TestPatientsHeldOut)
                await output.WriteLineAsync("  Note: the model was not trained on this world's data, so this measures transfer to it.");
            return Ok;
        }, cancellationToken));
        return command;
    }

    private static WorldChoice? Choice(string? world, int? patients, int? tracks)
    {
        if (world is null && (patients is not null || tracks is not null))
            throw new ArgumentException("--patients and --tracks size a generated world: use them with --world.");
        return world is null ? null : new WorldChoice(world, patients, tracks);
    }

    /// <summary>Runs a verb, turning each kind of failure into its message and exit code.</summary>
    private static async Task<int> RunVerb(ParseResult parse, Func<TextWriter, TextWriter, Task<int>> verb, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return await verb(output, error);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("amrs: cancelled; nothing was stored.");
            return Cancelled;
        }
        catch (ConfigurationException e)
        {
            await error.WriteLineAsync($"amrs: {e.Message}");
            return Configuration;
        }
        catch (Exception e) when (e is ModelIntegrityException or TrainingDataException or ArgumentException or InvalidDataException or IOException)
        {
            await error.WriteLineAsync($"amrs: {e.Message}");
            return Refused;
        }
    }

    private static string CommandLine(ParseResult parse) => "amrs " + string.Join(' ', parse.Tokens.Select(t => t.Value));

    private static async Task WriteAtomicallyAsync(string path, string text, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            await File.WriteAllTextAsync(temporary, text, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static string Size(string folder)
    {
        var bytes = Directory.EnumerateFiles(folder).Sum(f => new FileInfo(f).Length);
        return bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):0.0} MB" : $"{bytes / 1024.0:0} KB";
    }
}
