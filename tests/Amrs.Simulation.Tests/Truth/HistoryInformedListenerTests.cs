using Amrs.Core.Metrics;
using Amrs.Core.Sessions;
using Amrs.Simulation.Truth;

namespace Amrs.Simulation.Tests.Truth;

public sealed class HistoryInformedListenerTests
{
    [Fact]
    public void A_genre_never_heard_is_rated_as_likely_as_the_patient_rated_so_far()
    {
        var world = SmallWorld.World;
        var listener = HistoryInformedListener.Factory(world.Config)(world.Patients[0]);
        var heard = world.Catalog.First();
        var unheard = world.Catalog.First(t => t.Genre != heard.Genre);
        listener.BeginSession();
        for (var i = 0; i < 8; i++)
            listener.Observe(heard, new LoggedStep(i, heard.TrackId, Engagement: 0.7, Rating: 1, Valence: null, Arousal: null));

        // Eight positive ratings shrunk by two pseudo-ratings at 0.5: (8 + 1) / 10.
        Assert.Equal(0.9, listener.Expected(unheard).RatingProbability, 9);
    }

    [Fact]
    public void From_the_third_session_on_it_recovers_more_than_half_the_gap_between_the_population_oracle_and_the_oracle()
    {
        var world = SmallWorld.World;
        var newReference = HistoryInformedListener.Factory(world.Config);
        var population = world.PopulationOracle();
        var observed = new List<double>[2] { [], [] };
        var predictions = new Dictionary<string, List<double>[]>
        {
            ["reference"] = [[], []], ["oracle"] = [[], []], ["population"] = [[], []],
        };
        foreach (var patient in world.Patients.Take(60))
        {
            var reference = newReference(patient);
            var truth = world.Listener(patient.PatientId);
            var anonymous = population.NewListener();
            var sessions = world.Sessions.Where(s => s.PatientId == patient.PatientId).OrderBy(s => s.StartedAt).ToArray();
            for (var k = 0; k < sessions.Length; k++)
            {
                reference.BeginSession();
                truth.BeginSession();
                anonymous.BeginSession(sessions[k].Mode);
                foreach (var step in sessions[k].Steps)
                {
                    var track = world.Track(step.TrackId);
                    if (k >= 2 && step.Valence is { } v && step.Arousal is { } a)
                    {
                        observed[0].Add(v);
                        observed[1].Add(a);
                        Add(predictions["reference"], reference.Expected(track));
                        Add(predictions["oracle"], truth.Expected(track));
                        Add(predictions["population"], anonymous.Expected(track));
                    }
                    reference.Observe(track, step);
                    truth.Advance(track);
                    anonymous.Advance(track);
                }
            }
        }

        Assert.True(observed[0].Count > 300, $"only {observed[0].Count} observations");
        for (var axis = 0; axis < 2; axis++)
        {
            double R2(string predictor) => PredictionMetrics.RSquared(observed[axis].ToArray(), predictions[predictor][axis].ToArray());
            Assert.InRange(R2("reference"), (R2("population") + R2("oracle")) / 2, R2("oracle") - 0.01);
        }
    }

    private static void Add(List<double>[] into, ExpectedResponse expected)
    {
        into[0].Add(expected.Valence);
        into[1].Add(expected.Arousal);
    }
}
