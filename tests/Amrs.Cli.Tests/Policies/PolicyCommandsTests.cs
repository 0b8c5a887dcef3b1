using System.CommandLine;
using System.Text.Json;
using Amrs.Cli.Commands;
using Amrs.Cli.Tests.WorldModels;
using Amrs.Engine.Policies;
using Amrs.Engine.Store;

namespace Amrs.Cli.Tests.Policies;

public sealed class PolicyCommandsTests
{
    private static RootCommand Root()
    {
        var root = new RootCommand("amrs");
        PolicyCommands.AddTo(root);
        return root;
    }

    /// <summary>The quick preset's 10,000 step pairs in 5 rounds take minutes even on a tiny world; these worlds ask for few.</summary>
    private static readonly string[] FewStepPairs = ["--step-pairs", "100", "--step-rounds", "2"];

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var parse = Root().Parse(args);
        var code = await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Train_policy_stores_a_world_model_both_policies_and_a_bundle_and_evaluate_policy_writes_the_report()
    {
        var folder = Directory.CreateTempSubdirectory("amrs-policy-cli-").FullName;
        try
        {
            var store = Path.Combine(folder, "store");
            var (code, output, error) = await Run(["train", "policy", "--quick", "--patients", "30", "--tracks", "60", .. FewStepPairs, "--to", store]);
            Assert.True(code == 0, output + error);
            var models = new ModelStore(store);
            var bundleId = Directory.EnumerateDirectories(store, "bundle-*").Select(Path.GetFileName).Single()!;
            var bundle = models.OpenBundle(bundleId);
            Assert.Equal(["bc-policy", "dpo-policy", "world-model"], bundle.Models.Select(m => m.Role).Order());
            var dpoCard = models.Open(bundle.ModelFor(BundleRoles.Dpo)).Card;
            Assert.Contains(bundle.ModelFor(BundleRoles.BehaviourCloning), dpoCard.Notes);
            var dpoTraining = dpoCard.Training!.Value.GetProperty("dpo");
            Assert.Equal(100, dpoTraining.GetProperty("stepPairs").GetInt32());
            Assert.Equal(2, dpoTraining.GetProperty("stepRounds").GetInt32());
            var (policy, _) = models.LoadPolicy(bundle.ModelFor(BundleRoles.Dpo));
            policy.Dispose();
            Assert.Contains("behaviour cloning", error + output);

            var json = Path.Combine(folder, "report", "policy.json");
            (code, output, error) = await Run(["evaluate", "policy", "--json", json, "--splits", "1", "--quick", "--patients", "30", "--tracks", "60",
                .. FewStepPairs, "--max-patients", "2", "--rollouts", "1"]);
            Assert.True(code == 0, output + error);
            using var report = JsonDocument.Parse(File.ReadAllText(json));
            var policies = report.RootElement.GetProperty("policies");
            foreach (var name in new[] { "random", "greedy", "greedy-va", "bc", "dpo", "dpo-va", "posterior", "oracle" })
            {
                var attainment = policies.GetProperty(name).GetProperty("truth.attainment").GetProperty("mean").GetDouble();
                Assert.InRange(attainment, 0, 1);
                Assert.True(policies.GetProperty(name).TryGetProperty("wm.attainment", out _));
            }
            Assert.NotEmpty(report.RootElement.GetProperty("targets").EnumerateArray());
            Assert.Contains("| dpo |", File.ReadAllText(Path.ChangeExtension(json, ".md")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Train_policy_registers_a_given_world_model_folder_unchanged_and_refuses_one_of_other_data_or_without_a_card()
    {
        var folder = Directory.CreateTempSubdirectory("amrs-policy-wm-").FullName;
        try
        {
            string[] world = ["--patients", "30", "--tracks", "60"];
            var trained = await WorldModelCli.RunAsync(["train", "world-model", "--quick", "--threads", "1", "--world", "default", .. world,
                "--to", Path.Combine(folder, "wm")], TestContext.Current.CancellationToken);
            Assert.True(trained.ExitCode == 0, trained.ToString());
            var source = Directory.EnumerateDirectories(Path.Combine(folder, "wm"), "wm-*").Single();
            var sourceCard = File.ReadAllBytes(Path.Combine(source, ModelCard.FileName));
            var store = Path.Combine(folder, "store");

            var (code, _, error) = await Run(["train", "policy", "--quick", "--patients", "31", "--tracks", "60", .. FewStepPairs, "--world-model", source, "--to", store]);
            Assert.NotEqual(0, code);
            Assert.Contains("trained on other data", error);
            (code, _, error) = await Run(["train", "policy", "--quick", .. world, .. FewStepPairs, "--split-seed", "7", "--world-model", source, "--to", store]);
            Assert.NotEqual(0, code);
            Assert.Contains("split seed 2026", error);
            (code, _, error) = await Run(["train", "policy", "--quick", .. world, .. FewStepPairs, "--world-model", Directory.CreateDirectory(Path.Combine(folder, "bare")).FullName, "--to", store]);
            Assert.NotEqual(0, code);
            Assert.Contains(ModelCard.FileName, error);
            Assert.Empty(Directory.EnumerateDirectories(store));

            (code, var output, error) = await Run(["train", "policy", "--quick", .. world, .. FewStepPairs, "--world-model", source, "--to", store]);

            Assert.True(code == 0, output + error);
            var models = new ModelStore(store);
            var bundle = models.OpenBundle(Directory.EnumerateDirectories(store, "bundle-*").Select(Path.GetFileName).Single()!);
            var worldModelId = bundle.ModelFor(BundleRoles.WorldModel);
            Assert.Equal(Path.GetFileName(source), worldModelId);
            Assert.Single(Directory.EnumerateDirectories(store, "wm-*"));
            Assert.Equal(sourceCard, File.ReadAllBytes(Path.Combine(store, worldModelId, ModelCard.FileName)));
            var worldModelCard = models.Open(worldModelId).Card;
            Assert.Equal(worldModelCard.TrainingDataFingerprint, models.Open(bundle.ModelFor(BundleRoles.Dpo)).Card.TrainingDataFingerprint);
            Assert.Equal(worldModelCard.TrainingDataFingerprint, models.Open(bundle.ModelFor(BundleRoles.BehaviourCloning)).Card.TrainingDataFingerprint);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_unknown_world_or_a_missing_json_path_is_refused_by_the_parser()
    {
        Assert.NotEmpty(Root().Parse(["train", "policy", "--world", "mars"]).Errors);
        Assert.NotEmpty(Root().Parse(["evaluate", "policy"]).Errors);
        Assert.Empty(Root().Parse(["evaluate", "policy", "--json", "r.json", "--world", "alt", "--splits", "2"]).Errors);
        var (code, _, _) = await Run("train", "policy", "--world", "mars");
        Assert.NotEqual(0, code);
    }

    [Fact]
    public void Registering_twice_reuses_the_train_and_evaluate_groups()
    {
        var root = new RootCommand("amrs") { new Command("train", "someone else's") };
        PolicyCommands.AddTo(root);
        Assert.Single(root.Subcommands, c => c.Name == "train");
        Assert.Contains(root.Subcommands.Single(c => c.Name == "train").Subcommands, c => c.Name == "policy");
        Assert.Contains(root.Subcommands.Single(c => c.Name == "evaluate").Subcommands, c => c.Name == "policy");
    }
}
