using Amrs.Core.Metrics;
using Amrs.Simulation.Truth;
using Amrs.Simulation.Generation;

namespace Amrs.Simulation.Calibration;

/// <summary>
/// How predictable a world is: R-squared of the observed signals against the truth's own expectation (the
/// oracle, the ceiling any model can reach) and against the population oracle (what is possible without
/// knowing the patient). The gap between the two is what personalisation can win.
/// </summary>
public sealed record CalibrationReport(
    string ConfigHash,
    int Sessions,
    int Steps,
    int AffectObservations,
    int RatingObservations,
    double OracleR2Valence,
    double OracleR2Arousal,
    double PopulationR2Valence,
    double PopulationR2Arousal,
    double OracleR2Engagement,
    double PopulationR2Engagement,
    double OracleAucRating,
    double PopulationAucRating);

public static class SimulationStats
{
    /// <summary>Replays every logged session through the oracle and the population oracle.</summary>
    public static CalibrationReport Calibration(GeneratedWorld world)
    {
        var valence = new Series();
        var arousal = new Series();
        var engagement = new Series();
        var ratings = new List<bool>();
        var oracleRating = new List<double>();
        var populationRating = new List<double>();
        var oracle = world.PopulationOracle();
        var steps = 0;

        // Sessions are stored patient by patient in time order; listeners carry familiarity across sessions.
        foreach (var patientSessions in world.Sessions.GroupBy(s => s.PatientId))
        {
            var truth = world.Listener(patientSessions.Key);
            var population = oracle.NewListener();
            foreach (var session in patientSessions.OrderBy(s => s.StartedAt))
            {
                truth.BeginSession();
                population.BeginSession(session.Mode);
                foreach (var step in session.Steps)
                {
                    var track = world.Track(step.TrackId);
                    var t = truth.Expected(track);
                    var p = population.Expected(track);
                    engagement.Add(step.Engagement, t.Engagement, p.Engagement);
                    if (step.Valence is { } v)
                        valence.Add(v, t.Valence, p.Valence);
                    if (step.Arousal is { } a)
                        arousal.Add(a, t.Arousal, p.Arousal);
                    if (step.Rating is { } r)
                    {
                        ratings.Add(r == 1);
                        oracleRating.Add(t.RatingProbability);
                        populationRating.Add(p.RatingProbability);
                    }
                    truth.Advance(track);
                    population.Advance(track);
                    steps++;
                }
            }
        }

        return new CalibrationReport(
            world.Config.ConfigHash,
            world.Sessions.Count,
            steps,
            valence.Count,
            ratings.Count,
            valence.OracleR2,
            arousal.OracleR2,
            valence.PopulationR2,
            arousal.PopulationR2,
            engagement.OracleR2,
            engagement.PopulationR2,
            PredictionMetrics.Auc(ratings.ToArray(), oracleRating.ToArray()),
            PredictionMetrics.Auc(ratings.ToArray(), populationRating.ToArray()));
    }

    private sealed class Series
    {
        private readonly List<double> _observed = [];
        private readonly List<double> _oracle = [];
        private readonly List<double> _population = [];

        public int Count => _observed.Count;

        public void Add(double observed, double oracle, double population)
        {
            _observed.Add(observed);
            _oracle.Add(oracle);
            _population.Add(population);
        }

        public double OracleR2 => PredictionMetrics.RSquared(_observed.ToArray(), _oracle.ToArray());

        public double PopulationR2 => PredictionMetrics.RSquared(_observed.ToArray(), _population.ToArray());
    }
}
