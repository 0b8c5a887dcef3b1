using Amrs.Core.Affect;

namespace Amrs.Core.Utility;

/// <summary>
/// How much each predicted signal counts in a patient's utility. Each weight lies in 0..1; the utility is the
/// weighted mean of the terms, so only the ratios matter. Weights are data: versioned per patient, with
/// sensible defaults per mode.
/// </summary>
/// <param name="Valence">Closeness of predicted valence to the (step's) target.</param>
/// <param name="Arousal">Closeness of predicted arousal to the (step's) target.</param>
/// <param name="Engagement">Predicted engagement (fraction listened).</param>
/// <param name="Rating">Predicted probability of a positive rating.</param>
/// <param name="Diversity">Novelty against the tracks already in the list (a repeat scores 0).</param>
/// <param name="Familiarity">How often the patient has heard the track before (familiar music comforts in dementia).</param>
public sealed record UtilityWeights(double Valence, double Arousal, double Engagement, double Rating, double Diversity, double Familiarity)
{
    public const int Count = 6;

    public static IReadOnlyList<string> Names { get; } = ["valence", "arousal", "engagement", "rating", "diversity", "familiarity"];

    /// <summary>The paper's own setting: valence and arousal only, half each.</summary>
    public static UtilityWeights PaperDefault { get; } = new(0.5, 0.5, 0, 0, 0, 0);

    /// <summary>
    /// The defaults per mode. The terms do not vary alike between candidate tracks: one track moves the patient's
    /// predicted affect a little (closeness varies with a standard deviation of about 0.02 across a catalog), while
    /// familiarity jumps from 0 to 1 for a track heard three times. Familiarity is therefore weighted as a tie-breaker
    /// (0.01-0.02): at 0.05-0.10 it outweighed the affect goal, and greedy planning in Sleep mode played the patient's
    /// most familiar tracks and lowered arousal no better than random music (ground-truth attainment 0.765 against
    /// 0.770; 0.810 with these defaults). A test holds the rule: under every mode's defaults, a track 0.05 nearer the
    /// target on both axes outranks a fully familiar one.
    /// </summary>
    public static UtilityWeights DefaultFor(SessionMode mode) => mode switch
    {
        SessionMode.Clinical => new(0.35, 0.35, 0.15, 0.05, 0.05, 0.01),
        SessionMode.Energize => new(0.30, 0.40, 0.15, 0.05, 0.10, 0.00),
        SessionMode.Focus => new(0.20, 0.45, 0.20, 0.05, 0.10, 0.00),
        SessionMode.Calm => new(0.35, 0.35, 0.15, 0.05, 0.05, 0.01),
        SessionMode.Sleep => new(0.20, 0.50, 0.10, 0.05, 0.05, 0.02),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown session mode."),
    };

    public double Sum => Valence + Arousal + Engagement + Rating + Diversity + Familiarity;

    public double[] ToArray() => [Valence, Arousal, Engagement, Rating, Diversity, Familiarity];

    public static UtilityWeights FromArray(IReadOnlyList<double> values) =>
        values.Count == Count
            ? new(values[0], values[1], values[2], values[3], values[4], values[5])
            : throw new ArgumentException($"Expected {Count} weights, got {values.Count}.", nameof(values));

    /// <summary>What is wrong with these weights, in words naming each weight; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var values = ToArray();
        for (var i = 0; i < Count; i++)
        {
            if (double.IsNaN(values[i]) || values[i] < 0 || values[i] > 1)
                errors.Add($"Weight '{Names[i]}' is {values[i]}; weights lie between 0 and 1.");
        }
        if (errors.Count == 0 && Sum <= 0)
            errors.Add("At least one weight must be above 0.");
        return errors;
    }
}
