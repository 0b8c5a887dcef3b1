using Amrs.Engine.Episodes;
using Amrs.Engine.Training;
using Amrs.Engine.WorldModels;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.Tests.WorldModels;

public sealed class WorldModelLossTests
{
    [Fact]
    public void Unobserved_label_values_never_change_the_loss_or_its_gradient()
    {
        torch.manual_seed(5);
        using var scope = torch.NewDisposeScope();
        var raw = torch.randn(6, 2, PredictionLayout.Size).requires_grad_(true);
        var labels = torch.rand(6, 2, Signals.Count);
        var mask = (torch.rand(6, 2, Signals.Count) > 0.5).to_type(ScalarType.Float32);
        mask[TensorIndex.Ellipsis, Signals.Rating] = torch.zeros(6, 2); // one signal entirely unobserved
        var unobserved = mask < 0.5;
        Assert.True(unobserved.any().item<bool>());

        var loss = WorldModelLoss.Compute(raw, labels, mask);
        loss.Total.backward();
        var gradient = raw.grad!.clone();
        raw.grad!.zero_();

        var garbage = torch.where(unobserved, torch.full_like(labels, float.NaN), labels);
        var again = WorldModelLoss.Compute(raw, garbage, mask);
        again.Total.backward();

        Assert.Equal(loss.Total.item<float>(), again.Total.item<float>());
        Assert.True(torch.equal(gradient, raw.grad!).all().item<bool>());
        Assert.Equal(0f, loss.Rating);
        // Observed labels do matter.
        var shifted = WorldModelLoss.Compute(raw, labels + 0.3 * mask, mask);
        Assert.NotEqual(loss.Total.item<float>(), shifted.Total.item<float>());
    }

    [Fact]
    public void The_point_loss_scores_the_means_only_with_hand_computed_terms()
    {
        using var scope = torch.NewDisposeScope();
        // One step: engagement logit 0 (p 0.5), rating logit 0, valence logit 0 (0.5), arousal logit 0 (0.5).
        var raw = torch.zeros(1, 1, PredictionLayout.Size);
        var labels = torch.tensor(new[] { 0.5f, 1f, 0.7f, 0.2f }, [1, 1, Signals.Count]);
        var mask = torch.ones(1, 1, Signals.Count);

        var loss = WorldModelLoss.Compute(raw, labels, mask);

        // BCE(0.5 | 0.5) = BCE(0.5 | 1) = ln 2; affect: 50 * (0.2^2 + 0.3^2).
        Assert.Equal(2 * Math.Log(2) + 50 * (0.04 + 0.09), loss.Point, 4);
        var wider = raw.clone();
        wider[TensorIndex.Ellipsis, PredictionLayout.ValenceLogVariance] = torch.tensor(3f);
        Assert.Equal(loss.Point, WorldModelLoss.Compute(wider, labels, mask).Point, 6);
    }

    [Fact]
    public void Loss_falls_when_training_on_a_small_set()
    {
        var world = new ToyWorld(patients: 12, sessionsPerPatient: 2, stepsPerSession: 6);
        var data = WorldModelData.Prepare(world.Catalog, world.Patients, [], world.Sessions);
        torch.manual_seed(2);
        using var model = new WorldModel(TinyModels.Options, data.Layout, data.Vocabulary.Rows);
        using var optimizer = new SafeAdamW(model.parameters(), 5e-3);
        var windows = data.Training.SelectMany(h => HistoryWindow.Cut(h, 16)).ToArray();
        using var tensors = HistoryTensors.ForTraining(windows, model.Layout);

        double Step(bool learn)
        {
            using var scope = torch.NewDisposeScope();
            var loss = WorldModelTrainer.BatchLoss(model, tensors);
            if (learn)
            {
                optimizer.ZeroGrad();
                loss.Total.backward();
                optimizer.Step();
            }
            return loss.Total.item<float>();
        }

        model.train();
        var first = Step(learn: false);
        for (var i = 0; i < 60; i++) Step(learn: true);
        var last = Step(learn: false);

        Assert.True(last < first - 0.5, $"loss went from {first:0.000} to {last:0.000}");
    }
}
