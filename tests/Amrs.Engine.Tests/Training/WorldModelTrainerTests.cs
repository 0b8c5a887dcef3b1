using Amrs.Engine.Episodes;
using Amrs.Engine.Training;

namespace Amrs.Engine.Tests.Training;

public sealed class WorldModelTrainerTests
{
    private static WorldModelData SmallData()
    {
        var world = new ToyWorld(patients: 10, sessionsPerPatient: 2, stepsPerSession: 6);
        var (training, validation) = world.Split();
        return WorldModelData.Prepare(world.Catalog, training, validation, world.Sessions);
    }

    private static readonly TrainingOptions Fast = TinyModels.Training with { Members = 2, MaxEpochs = 2 };

    [Fact]
    public void Training_twice_with_the_same_seed_gives_identical_losses_and_predictions()
    {
        var data = SmallData();
        var first = new WorldModelTrainer(TinyModels.Options with { Dropout = 0.1, IdDropout = 0.2 }, Fast).Train(data, null, TestContext.Current.CancellationToken);
        var second = new WorldModelTrainer(TinyModels.Options with { Dropout = 0.1, IdDropout = 0.2 }, Fast).Train(data, null, TestContext.Current.CancellationToken);
        using var a = first.Ensemble;
        using var b = second.Ensemble;

        Assert.Equal(first.Members.Select(m => m.FinalTrainLoss), second.Members.Select(m => m.FinalTrainLoss));
        Assert.Equal(first.Members.Select(m => m.BestValidationLoss), second.Members.Select(m => m.BestValidationLoss));
        var history = data.Validation[0];
        using var candidates = a.PrepareCandidates(data.Catalog);
        using var rawA = a.ScoreRaw(history, history.Steps[0].Context, candidates);
        using var rawB = b.ScoreRaw(history, history.Steps[0].Context, candidates);
        Assert.Equal(0f, (rawA - rawB).abs().max().item<float>());
        // Members differ (seed and bootstrap), which is what gives the ensemble its spread.
        Assert.True((rawA[0] - rawA[1]).abs().max().item<float>() > 1e-4);
    }

    [Fact]
    public void Progress_is_reported_per_epoch_and_cancellation_stops_training()
    {
        var data = SmallData();
        using var cancellation = new CancellationTokenSource();
        var reports = new List<TrainingProgress>();
        var progress = new SynchronousProgress(p =>
        {
            reports.Add(p);
            cancellation.Cancel();
        });
        var trainer = new WorldModelTrainer(TinyModels.Options, Fast);

        Assert.Throws<OperationCanceledException>(() => trainer.Train(data, progress, cancellation.Token));

        var report = Assert.Single(reports);
        Assert.Equal((1, 2, 1, 2), (report.Member, report.Members, report.Epoch, report.MaxEpochs));
        Assert.True(report.TrainLoss > 0 && report.ValidationLoss > 0);
        Assert.True(report.EstimatedRemaining > TimeSpan.Zero);
    }

    [Fact]
    public void The_trained_ensemble_has_learned_the_toy_rule_for_engagement()
    {
        var trained = TinyModels.Trained;
        var patient = trained.World.Patients[^1]; // a validation patient
        var encoder = trained.Ensemble.CreateEncoder(trained.World.Catalog);
        var history = encoder.EncodeHistory(patient, trained.World.Sessions);
        using var candidates = trained.Ensemble.PrepareCandidates(trained.World.Catalog);

        var predictions = trained.Ensemble.Score(history, history.Steps[^1].Context.Next(), candidates);

        double MeanEngagement(bool liked) => predictions
            .Where(p => (encoder.FindTrack(p.TrackId).Genre == patient.PreferredGenres[0]) == liked)
            .Average(p => p.Engagement.Mean);
        Assert.True(MeanEngagement(true) > MeanEngagement(false) + 0.2,
            $"liked {MeanEngagement(true):0.00} vs other {MeanEngagement(false):0.00}");
        Assert.All(predictions, p => Assert.InRange(p.Valence.Mean, p.Valence.Lower80, p.Valence.Upper80));
        Assert.Equal(Signals.Count, Enumerable.Range(0, Signals.Count).Count(s => predictions[0][s].TotalSd > 0));
    }

    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
