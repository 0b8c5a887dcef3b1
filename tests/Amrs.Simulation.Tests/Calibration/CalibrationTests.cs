using Amrs.Simulation.Calibration;
using Amrs.Simulation.Logging;

namespace Amrs.Simulation.Tests.Calibration;

/// <summary>
/// The simulator is calibrated so that affect is learnable but noisy (oracle R-squared 0.5..0.8) and knowing the
/// patient matters (the population oracle at least 0.1 lower). Checked here on the small world; the default
/// world's figures are in the simulation README.
/// </summary>
public sealed class CalibrationTests
{
    private static readonly Lazy<CalibrationReport> _report = new(() => SimulationStats.Calibration(SmallWorld.World));

    [Fact]
    public void Oracle_r_squared_of_observed_valence_and_arousal_is_between_half_and_four_fifths()
    {
        var r = _report.Value;

        Assert.InRange(r.OracleR2Valence, 0.5, 0.8);
        Assert.InRange(r.OracleR2Arousal, 0.5, 0.8);
        Assert.True(r.AffectObservations > 1000);
    }

    [Fact]
    public void The_population_oracle_is_at_least_a_tenth_lower()
    {
        var r = _report.Value;

        Assert.True(r.PopulationR2Valence <= r.OracleR2Valence - 0.1, $"valence: population {r.PopulationR2Valence}, oracle {r.OracleR2Valence}");
        Assert.True(r.PopulationR2Arousal <= r.OracleR2Arousal - 0.1, $"arousal: population {r.PopulationR2Arousal}, oracle {r.OracleR2Arousal}");
    }

    [Fact]
    public void Engagement_and_ratings_carry_signal_too()
    {
        var r = _report.Value;

        Assert.InRange(r.OracleR2Engagement, 0.4, 0.9);
        Assert.InRange(r.OracleAucRating, 0.65, 0.95);
        Assert.True(r.OracleAucRating > r.PopulationAucRating);
    }

    [Fact]
    public void The_logging_policy_clearly_beats_a_random_policy_on_the_truth()
    {
        var world = SmallWorld.World;
        var logging = PolicyEvaluation.Run(world, new LoggingPolicy(world.Catalog, world.Config.LoggingTemperature), seed: 11);
        var random = PolicyEvaluation.Run(world, LoggingPolicy.Uniform(world.Catalog), seed: 11);

        Assert.Equal(logging.Sessions, random.Sessions);
        Assert.True(logging.Attainment > random.Attainment + 0.03, $"attainment {logging.Attainment} vs random {random.Attainment}");
        Assert.True(logging.FinalDistance < random.FinalDistance - 0.05, $"final distance {logging.FinalDistance} vs random {random.FinalDistance}");
        Assert.True(logging.Engagement > random.Engagement + 0.05, $"engagement {logging.Engagement} vs random {random.Engagement}");
    }
}
