using Amrs.Engine.Episodes;
using Amrs.Engine.Evaluation;

namespace Amrs.Engine.Tests.Evaluation;

public sealed class OneStepEvaluatorTests
{
    [Fact]
    public void Every_observed_signal_of_held_out_patients_gets_one_prediction_in_the_right_bucket()
    {
        var trained = TinyModels.Trained;
        var heldOut = trained.Data.Validation;

        var predictions = OneStepEvaluator.Predict(trained.Ensemble, heldOut);

        var expected = heldOut.Sum(h => h.Steps.Sum(s => s.Observed.Count(o => o > 0.5f)));
        Assert.Equal(expected, predictions.Count);
        // Histories (32 steps) are longer than the model's window (16): every step is still predicted once.
        Assert.Equal(heldOut.Sum(h => h.Count),
            predictions.Where(p => p.Signal == Signals.Engagement).Select(p => (p.PatientId, p.StepIndex)).Distinct().Count());
        foreach (var p in predictions)
        {
            var step = heldOut.Single(h => h.PatientId == p.PatientId).Steps[p.StepIndex];
            Assert.Equal(OneStepEvaluator.BucketOf(step.SessionOrdinal), p.Bucket);
            Assert.Equal(step.Outcomes[p.Signal], p.Observed, 6);
            Assert.InRange(p.Mean, p.Lower80, p.Upper80);
        }
        Assert.Equal(3, predictions.Select(p => p.Bucket).Distinct().Count());
    }

    [Fact]
    public void Predictions_do_not_depend_on_how_the_held_out_patients_are_batched()
    {
        var trained = TinyModels.Trained;
        var together = OneStepEvaluator.Predict(trained.Ensemble, trained.Data.Validation, batchSize: 64);
        var alone = OneStepEvaluator.Predict(trained.Ensemble, trained.Data.Validation, batchSize: 1);
        Assert.Equal(together.Count, alone.Count);
        // Equal up to float rounding: batched matrix products and inverses may sum in another order for another batch.
        Assert.All(together.Zip(alone), pair => Assert.Equal(pair.First.Mean, pair.Second.Mean, tolerance: 1e-5));
    }

    [Fact]
    public void Summary_on_a_known_case_equals_hand_computed_values()
    {
        OneStepPrediction P(double observed, double mean, double lower, double upper, HistoryBucket bucket) =>
            new("p", "s", 0, bucket, Signals.Valence, observed, mean, lower, upper, 0, 0.1);
        var predictions = new[]
        {
            P(0.2, 0.3, 0.1, 0.5, HistoryBucket.FirstSession),
            P(0.4, 0.4, 0.3, 0.5, HistoryBucket.FirstSession),
            P(0.9, 0.6, 0.4, 0.8, HistoryBucket.LaterSessions),
        };

        var all = OneStepEvaluator.Summarise(predictions).Single(s => s.Bucket is null);

        // Observed mean 0.5; SS_tot = 0.09 + 0.01 + 0.16 = 0.26; SS_res = 0.01 + 0 + 0.09 = 0.10.
        Assert.Equal(3, all.Count);
        Assert.Equal(1 - 0.10 / 0.26, all.RSquared, 10);
        Assert.Equal(Math.Sqrt(0.10 / 3), all.RootMeanSquaredError, 10);
        Assert.Equal(0.4 / 3, all.MeanAbsoluteError, 10);
        Assert.Equal(2.0 / 3, all.Coverage80, 10);
        Assert.Equal((0.4 + 0.2 + 0.4) / 3, all.MeanBandWidth, 10);
        var first = OneStepEvaluator.Summarise(predictions).Single(s => s.Bucket == HistoryBucket.FirstSession);
        Assert.Equal(2, first.Count);
        Assert.Equal(1.0, first.Coverage80);

        var metrics = OneStepEvaluator.ToMetrics(OneStepEvaluator.Summarise(predictions));
        Assert.Equal(1 - 0.10 / 0.26, metrics["valence.r2"], 10);
        Assert.Equal(1.0, metrics["valence.coverage80.first-session"]);
        Assert.Equal(1, metrics["valence.n.later-sessions"]);
        Assert.DoesNotContain("valence.r2.later-sessions", metrics.Keys); // one point: R2 undefined
    }
}
