using System.Globalization;
using Amrs.Clinic.Services.Engine;

namespace Amrs.Clinic.Services.Preview;

/// <summary>
/// What a clinician should be told about a forecast before trusting it, in plain words: the bundle cannot serve
/// care, the patient or list lies outside what the world model has seen, or the ensemble disagrees widely.
/// </summary>
public static class ForecastWarnings
{
    /// <summary>A 10-90 % band wider than this (on the 0..1 scale) is called uncertain.</summary>
    public const double WideBand = 0.35;

    public static IReadOnlyList<string> For(PlaylistSimulation simulation, bool simulationOnly)
    {
        var warnings = new List<string>();
        if (simulationOnly)
            warnings.Add("Simulation only: this model bundle is not promoted for care; its lists cannot be approved.");
        if (simulation.OutOfDistribution)
            warnings.Add($"Outside what the model has seen: {simulation.OutOfDistributionReason} Treat these predictions with caution.");
        if (Widest(simulation, s => s.Valence) is { } valence)
            warnings.Add(Uncertain("valence", valence));
        if (Widest(simulation, s => s.Arousal) is { } arousal)
            warnings.Add(Uncertain("arousal", arousal));
        return warnings;
    }

    private static StepBand? Widest(PlaylistSimulation simulation, Func<StepForecast, Band> signal) =>
        simulation.Steps
            .Select(s => new StepBand(s.Position, signal(s)))
            .Where(s => s.Band.P90 - s.Band.P10 > WideBand)
            .OrderByDescending(s => s.Band.P90 - s.Band.P10)
            .Cast<StepBand?>()
            .FirstOrDefault();

    private static string Uncertain(string signal, StepBand widest) => string.Create(CultureInfo.InvariantCulture,
        $"Uncertain {signal}: the models disagree; at track {widest.Position + 1} the predicted {signal} may lie anywhere from {widest.Band.P10:0.00} to {widest.Band.P90:0.00} (10-90 %). Watch the patient closely.");

    private readonly record struct StepBand(int Position, Band Band);
}
