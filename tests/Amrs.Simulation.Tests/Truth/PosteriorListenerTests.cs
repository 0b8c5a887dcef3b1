using Amrs.Core.Metrics;
using Amrs.Simulation.Cohort;
using Amrs.Simulation.Truth;

namespace Amrs.Simulation.Tests.Truth;

public sealed class PosteriorListenerTests
{
    // Fewer particles than the evaluation's, to keep the tests quick; the claims hold with room at this size.
    private static readonly PosteriorOptions Light = new(Particles: 200, MoveSteps: 2, RecordDraws: 512);

    [Fact]
    public void A_patients_whole_history_moves_the_estimate_of_their_engagement_level_from_the_prior_to_the_truth()
    {
        var world = SmallWorld.World;
        var newListener = PosteriorListener.Factory(world.Simulator, Light);
        double priorError = 0, posteriorError = 0;
        var patients = world.Patients.Take(12).ToArray();
        foreach (var patient in patients)
        {
            var listener = newListener(patient);
            var prior = listener.Mean(t => t.EngagementBias);
            foreach (var session in world.Sessions.Where(s => s.PatientId == patient.PatientId).OrderBy(s => s.StartedAt))
            {
                listener.BeginSession();
                foreach (var step in session.Steps)
                    listener.Observe(world.Track(step.TrackId), step);
            }
            var truth = world.TraitsOf(patient.PatientId).EngagementBias;
            priorError += Math.Abs(prior - truth);
            posteriorError += Math.Abs(listener.Mean(t => t.EngagementBias) - truth);
        }

        Assert.True(posteriorError < 0.5 * priorError, $"mean error {posteriorError / patients.Length:F3} after the history, {priorError / patients.Length:F3} before");
    }

    [Fact]
    public void From_the_third_session_on_it_predicts_affect_better_than_the_plug_in_reference_and_no_better_than_the_oracle()
    {
        var world = SmallWorld.World;
        var newPosterior = PosteriorListener.Factory(world.Simulator, Light);
        var newReference = HistoryInformedListener.Factory(world.Config);
        var observed = new List<double>();
        var predictions = new Dictionary<string, List<double>> { ["posterior"] = [], ["reference"] = [], ["oracle"] = [] };
        foreach (var patient in world.Patients.Skip(20).Take(24))
        {
            var posterior = newPosterior(patient);
            var reference = newReference(patient);
            var truth = world.Listener(patient.PatientId);
            var sessions = world.Sessions.Where(s => s.PatientId == patient.PatientId).OrderBy(s => s.StartedAt).ToArray();
            for (var k = 0; k < sessions.Length; k++)
            {
                posterior.BeginSession();
                reference.BeginSession();
                truth.BeginSession();
                foreach (var step in sessions[k].Steps)
                {
                    var track = world.Track(step.TrackId);
                    if (k >= 2 && step.Valence is { } v)
                    {
                        observed.Add(v);
                        predictions["posterior"].Add(posterior.Expected(track).Valence);
                        predictions["reference"].Add(reference.Expected(track).Valence);
                        predictions["oracle"].Add(truth.Expected(track).Valence);
                    }
                    posterior.Observe(track, step);
                    reference.Observe(track, step);
                    truth.Advance(track);
                }
            }
        }

        double R2(string predictor) => PredictionMetrics.RSquared(observed.ToArray(), predictions[predictor].ToArray());
        Assert.True(observed.Count > 150, $"only {observed.Count} observations");
        Assert.InRange(R2("posterior"), R2("reference") + 0.02, R2("oracle"));
    }

    [Fact]
    public void The_same_patient_and_history_give_the_same_predictions()
    {
        var world = SmallWorld.World;
        var patient = world.Patients[3];
        var session = world.Sessions.First(s => s.PatientId == patient.PatientId);
        var predictions = Enumerable.Range(0, 2).Select(_ =>
        {
            var listener = PosteriorListener.Factory(world.Simulator, Light)(patient);
            listener.BeginSession();
            foreach (var step in session.Steps)
                listener.Observe(world.Track(step.TrackId), step);
            return listener.Expected(world.Catalog[0]);
        }).ToArray();

        Assert.Equal(predictions[0], predictions[1]);
    }

    [Fact]
    public void Planning_on_a_sample_moves_the_samples_mood_and_leaves_the_posterior_as_it_was()
    {
        var world = SmallWorld.World;
        var patient = world.Patients[5];
        var listener = PosteriorListener.Factory(world.Simulator, Light)(patient);
        var session = world.Sessions.First(s => s.PatientId == patient.PatientId);
        listener.BeginSession();
        foreach (var step in session.Steps)
            listener.Observe(world.Track(step.TrackId), step);
        listener.BeginSession();
        var probe = world.Catalog[7];
        var before = listener.Expected(probe);

        var sample = listener.Sample(64);
        var start = sample.Affect;
        var sad = world.Catalog.MinBy(t => t.Valence)!;
        for (var k = 0; k < 6; k++)
            sample.Advance(sad);

        Assert.True(sample.Affect.Valence < start.Valence - 0.05, $"the sample's mood went from {start.Valence:F3} to {sample.Affect.Valence:F3}");
        Assert.Equal(before, listener.Expected(probe));
        Assert.Equal(0, listener.Position);
    }
}
