using Amrs.Clinic.Services.Engine;
using Amrs.Clinic.Services.Preview;
using Amrs.Core.Affect;

namespace Amrs.Clinic.Tests.Services;

public sealed class ForecastWarningsTests
{
    private static StepForecast Step(int position, double valenceWidth, double arousalWidth) =>
        new(position, $"T-{position}", new Band(0.5, 0.5 - valenceWidth / 2, 0.5, 0.5 + valenceWidth / 2),
            new Band(0.4, 0.4 - arousalWidth / 2, 0.4, 0.4 + arousalWidth / 2), new Band(0.8, 0.7, 0.8, 0.9), 0.6, new AffectPoint(0.7, 0.3));

    [Fact]
    public void A_confident_forecast_inside_the_training_data_needs_no_warning()
    {
        var simulation = new PlaylistSimulation([Step(0, 0.2, 0.2), Step(1, 0.3, 0.3)], false, "", 0.9);

        Assert.Empty(ForecastWarnings.For(simulation, simulationOnly: false));
    }

    [Fact]
    public void Wide_bands_name_the_signal_and_the_most_uncertain_track_with_its_range()
    {
        var simulation = new PlaylistSimulation([Step(0, 0.2, 0.1), Step(1, 0.5, 0.1), Step(2, 0.4, 0.1)], false, "", 0.9);

        var warning = Assert.Single(ForecastWarnings.For(simulation, simulationOnly: false));

        Assert.Equal("Uncertain valence: the models disagree; at track 2 the predicted valence may lie anywhere from 0.25 to 0.75 (10-90 %). Watch the patient closely.", warning);
    }

    [Fact]
    public void Out_of_distribution_and_simulation_only_are_said_in_plain_words()
    {
        var simulation = new PlaylistSimulation([Step(0, 0.1, 0.1)], true, "the patient has fewer sessions than any in training.", 0.9);

        var warnings = ForecastWarnings.For(simulation, simulationOnly: true);

        Assert.Equal(
        [
            "Simulation only: this model bundle is not promoted for care; its lists cannot be approved.",
            "Outside what the model has seen: the patient has fewer sessions than any in training. Treat these predictions with caution.",
        ], warnings);
    }
}
