using Amrs.Cli.WorldModels;
using Amrs.Engine.Episodes;
using Amrs.Engine.Store;
using Amrs.Simulation;
using Amrs.Simulation.Generation;
using TorchSharp;

namespace Amrs.Cli.Tests.WorldModels;

/// <summary>
/// The model bundle shipped in models/ must still describe the current default world: if the generator or its
/// configuration changes, these fail and the bundle must be regenerated (models/README.md says how).
/// </summary>
[Collection(WorldModelCollection.Name)]
public sealed class ShippedModelTests
{
    [Fact]
    public void The_shipped_world_model_was_trained_on_the_current_default_world()
    {
        var (store, card) = ShippedWorldModel();

        Assert.Equal(WorldConfig.Default.ConfigHash, card.SimulatorConfigHash);
        var world = WorldGenerator.Generate(WorldConfig.Default, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(TrainingData.FromWorld(world, new WorldChoice(WorldChoice.DefaultName)).Fingerprint(), card.TrainingDataFingerprint);
        Assert.NotNull(card.SplitSeed);
        Assert.Contains("valence.r2.later-sessions", card.Metrics.Keys);
        // A few MB: five members of about 1.6 MB each since the heads read the summary's session block (8.4 MB in all).
        Assert.True(Directory.EnumerateFiles(Path.Combine(store.Root, card.Id)).Sum(f => new FileInfo(f).Length) < 10 << 20,
            "The shipped world model should stay under 10 MB.");
    }

    [Fact]
    public void The_shipped_policies_were_trained_on_the_same_data_and_split_as_the_shipped_world_model()
    {
        var store = new ModelStore(ModelsFolder());
        var manifest = ShippedBundle(store);
        var worldModel = store.Open(manifest.ModelFor(BundleRoles.WorldModel)).Card;

        foreach (var role in new[] { BundleRoles.BehaviourCloning, BundleRoles.Dpo })
        {
            var policy = store.Open(manifest.ModelFor(role)).Card;
            Assert.Equal(role, policy.Kind);
            Assert.Equal(worldModel.TrainingDataFingerprint, policy.TrainingDataFingerprint);
            Assert.Equal(worldModel.SimulatorConfigHash, policy.SimulatorConfigHash);
            Assert.Equal(worldModel.SplitSeed, policy.SplitSeed);
        }
        Assert.Contains(worldModel.Id, store.Open(manifest.ModelFor(BundleRoles.Dpo)).Card.Notes);
    }

    [Fact]
    public void The_shipped_world_model_loads_with_verified_weights_and_scores_candidates()
    {
        torch.set_num_threads(1);
        var (store, card) = ShippedWorldModel();
        var (model, _) = store.LoadWorldModel(card.Id);
        using var ensemble = model;
        // The same catalog and the first patients of the default world (each comes from its own seed stream).
        var world = WorldGenerator.Generate(WorldConfig.Default.Scaled(patients: 4, tracks: WorldConfig.Default.TrackCount),
            cancellationToken: TestContext.Current.CancellationToken);
        var session = world.Sessions[0];
        var patient = world.Patients.Single(p => p.PatientId == session.PatientId);
        var history = ensemble.CreateEncoder(world.Catalog).EncodeHistory(patient, world.Sessions.Where(s => s.PatientId == patient.PatientId));
        using var candidates = ensemble.PrepareCandidates(world.Catalog.Take(8).ToArray());

        var predictions = ensemble.Score(history, new StepContext(session.Mode, session.Target, StartsSession: true, PositionInSession: 0), candidates);

        Assert.Equal(8, predictions.Count);
        foreach (var prediction in predictions)
        {
            for (var signal = 0; signal < Signals.Count; signal++)
            {
                var p = prediction[signal];
                Assert.InRange(p.Mean, 0, 1);
                Assert.InRange(p.Mean, p.Lower80, p.Upper80);
            }
        }
        Assert.NotEqual(predictions[0].Valence.Mean, predictions[1].Valence.Mean);
    }

    private static (ModelStore Store, ModelCard Card) ShippedWorldModel()
    {
        var store = new ModelStore(ModelsFolder());
        return (store, store.Open(ShippedBundle(store).ModelFor(BundleRoles.WorldModel)).Card);
    }

    private static BundleManifest ShippedBundle(ModelStore store)
    {
        var bundle = Assert.Single(Directory.GetFiles(store.Root, BundleManifest.FileName, SearchOption.AllDirectories));
        return store.OpenBundle(Path.GetFileName(Path.GetDirectoryName(bundle))!);
    }

    private static string ModelsFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Amrs.Clinic.sln")))
                return Path.Combine(folder.FullName, "models");
        }
        throw new DirectoryNotFoundException($"No repository root (Amrs.Clinic.sln) above {AppContext.BaseDirectory}.");
    }
}
