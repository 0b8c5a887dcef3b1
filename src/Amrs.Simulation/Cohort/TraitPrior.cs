using Amrs.Core.Patients;
using Amrs.Simulation.Catalog;

namespace Amrs.Simulation.Cohort;

/// <summary>
/// The shape of the cohort prior that <see cref="CohortGenerator"/> draws from, written once so that the generator and
/// anything that reasons about it (<see cref="Truth.PosteriorListener"/>) agree: the centres that differ between care
/// settings, and how the era of a patient's youth and the noisy staff record follow from their traits. The spreads are
/// the world's <see cref="TraitSpreads"/>.
/// </summary>
public static class TraitPrior
{
    /// <summary>The reminiscence bump is centred on the year the patient turned this old, give or take <see cref="BumpSd"/> years.</summary>
    public const double BumpAge = 20;
    public const double BumpSd = 3;
    /// <summary>How far (years) a genre's era may lie from the bump and still be liked for it.</summary>
    public const double EraFitWidthYears = 15;
    public const double EraFitGain = 1.2;
    public const double EraFitOffset = 0.6;
    /// <summary>Noise on the affinities staff rank when they record the preferred genres.</summary>
    public const double PreferredGenreNoise = 0.4;
    /// <summary>Noise (years) on the bump when staff record the preferred decade.</summary>
    public const double PreferredEraNoiseYears = 4;
    /// <summary>The mean of <see cref="PatientTraits.ValenceLiking"/> in both settings.</summary>
    public const double ValenceLikingMean = 1.0;
    public const int FirstRecordedEra = 1930;
    public const int LastRecordedEra = 2020;

    // Where a drawn trait is cut to its range (reminiscence strength, familiarity gain and fatigue at 0).
    private const double MinEntrainmentRate = 0.03;
    private const double MaxEntrainmentRate = 0.7;
    private const double MinBaseline = 0.1;
    private const double MaxBaseline = 0.9;
    private const double MinPreferredArousal = 0.05;
    private const double MaxPreferredArousal = 0.95;
    private const double MinEngagementBias = 0.3;
    private const double MaxEngagementBias = 0.95;

    /// <summary>A patient's traits from their draws, each cut to its range.</summary>
    public static PatientTraits Traits(string id, double[] affinity, double bumpCentre, TraitDraws draws, double engagementNoise) => new()
    {
        PatientId = id,
        GenreAffinity = affinity,
        ReminiscenceCentreYear = bumpCentre,
        ReminiscenceStrength = Math.Max(0, draws.ReminiscenceStrength),
        FamiliarityGain = Math.Max(0, draws.FamiliarityGain),
        FatiguePerTrack = Math.Max(0, draws.FatiguePerTrack),
        EntrainmentRate = Math.Clamp(draws.EntrainmentRate, MinEntrainmentRate, MaxEntrainmentRate),
        Baseline = new(
            Math.Clamp(draws.Baseline.Valence, MinBaseline, MaxBaseline),
            Math.Clamp(draws.Baseline.Arousal, MinBaseline, MaxBaseline)),
        PreferredArousal = Math.Clamp(draws.PreferredArousal, MinPreferredArousal, MaxPreferredArousal),
        ValenceLiking = draws.ValenceLiking,
        EngagementBias = Math.Clamp(draws.EngagementBias, MinEngagementBias, MaxEngagementBias),
        AffectNoise = draws.AffectNoise,
        EngagementNoise = engagementNoise,
    };

    public static SettingCentres For(CareSetting setting) => setting == CareSetting.Clinical ? Clinical : Consumer;

    public static SettingCentres Clinical { get; } = new(
        FirstBirthYear: 1930, LastBirthYear: 1955, Baseline: new(0.45, 0.58), PreferredArousal: 0.42, EngagementBias: 0.62);

    public static SettingCentres Consumer { get; } = new(
        FirstBirthYear: 1950, LastBirthYear: 2005, Baseline: new(0.55, 0.50), PreferredArousal: 0.55, EngagementBias: 0.70);

    /// <summary>The mean affinity for a genre of a patient whose bump is centred on <paramref name="bumpCentre"/>.</summary>
    public static double MeanAffinity(int genre, double bumpCentre)
    {
        var eraFit = Math.Exp(-0.5 * Math.Pow((Genres.All[genre].EraMean - bumpCentre) / EraFitWidthYears, 2));
        return EraFitGain * eraFit - EraFitOffset;
    }
}

/// <summary>The draws behind a patient's traits other than genre and era, before <see cref="TraitPrior.Traits"/> cuts them to their ranges.</summary>
public readonly record struct TraitDraws(
    double ReminiscenceStrength,
    double FamiliarityGain,
    double FatiguePerTrack,
    double EntrainmentRate,
    Amrs.Core.Affect.AffectPoint Baseline,
    double PreferredArousal,
    double ValenceLiking,
    double EngagementBias,
    double AffectNoise);

/// <summary>The centres of the trait prior for one care setting; birth years are drawn uniformly between the two, inclusive.</summary>
public sealed record SettingCentres(
    int FirstBirthYear,
    int LastBirthYear,
    Amrs.Core.Affect.AffectPoint Baseline,
    double PreferredArousal,
    double EngagementBias);
