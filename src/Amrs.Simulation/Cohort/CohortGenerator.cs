using Amrs.Core.Affect;
using Amrs.Core.Patients;
using Amrs.Simulation.Catalog;

namespace Amrs.Simulation.Cohort;

/// <summary>A generated patient: the observable record and the hidden traits behind it.</summary>
public sealed record SimulatedPatient(Patient Patient, PatientTraits Traits);

/// <summary>
/// Generates the cohort. Traits are drawn first; the observable record (preferred genres, era,
/// contraindications) is then derived from them with noise, so what staff record is informative but imperfect.
/// </summary>
public static class CohortGenerator
{
    public static readonly IReadOnlyList<string> CareUnits = ["Unit A", "Unit B", "Unit C", "Unit D"];

    public static IReadOnlyList<SimulatedPatient> Generate(WorldConfig config)
    {
        var patients = new SimulatedPatient[config.PatientCount];
        for (var i = 0; i < patients.Length; i++)
        {
            var rng = SimMath.Rng(config.Seed, "patient", i);
            patients[i] = Draw(config, rng, $"P-{i + 1:D6}", setting: null);
        }
        return patients;
    }

    /// <summary>
    /// Trait draws for the population oracle: patients from the same prior, with their own seed stream, in the
    /// given care setting.
    /// </summary>
    public static IReadOnlyList<PatientTraits> DrawPopulation(WorldConfig config, CareSetting setting, int count)
    {
        var draws = new PatientTraits[count];
        for (var i = 0; i < count; i++)
        {
            var rng = SimMath.Rng(config.Seed, $"population-{setting}", i);
            draws[i] = Draw(config, rng, $"draw-{i}", setting).Traits;
        }
        return draws;
    }

    private static SimulatedPatient Draw(WorldConfig config, Random rng, string id, CareSetting? setting)
    {
        var spreads = config.Traits;
        var care = setting ?? (rng.NextDouble() < config.ClinicalShare ? CareSetting.Clinical : CareSetting.Consumer);
        var clinical = care == CareSetting.Clinical;
        var centres = TraitPrior.For(care);
        var birthYear = rng.Next(centres.FirstBirthYear, centres.LastBirthYear + 1);
        var stage = clinical ? PickStage(rng) : CognitiveStage.None;

        // Latent traits.
        var bumpCentre = birthYear + TraitPrior.BumpAge + rng.Gaussian(0, TraitPrior.BumpSd);
        var affinity = new double[Genres.All.Count];
        for (var g = 0; g < affinity.Length; g++)
            affinity[g] = TraitPrior.MeanAffinity(g, bumpCentre) + rng.Gaussian(0, spreads.GenreAffinitySd);
        var baseline = new AffectPoint(
            rng.Gaussian(centres.Baseline.Valence, spreads.BaselineValenceSd),
            rng.Gaussian(centres.Baseline.Arousal, spreads.BaselineArousalSd));
        // Arguments are evaluated left to right: the draws keep their order.
        var draws = new TraitDraws(
            ReminiscenceStrength: rng.Gaussian(spreads.ReminiscenceStrengthMean, spreads.ReminiscenceStrengthSd),
            FamiliarityGain: rng.Gaussian(spreads.FamiliarityGainMean, spreads.FamiliarityGainSd),
            FatiguePerTrack: rng.Gaussian(spreads.FatiguePerTrackMean, spreads.FatiguePerTrackSd),
            EntrainmentRate: rng.Gaussian(spreads.EntrainmentRateMean, spreads.EntrainmentRateSd),
            Baseline: baseline,
            PreferredArousal: rng.Gaussian(centres.PreferredArousal, spreads.PreferredArousalSd),
            ValenceLiking: rng.Gaussian(TraitPrior.ValenceLikingMean, spreads.ValenceLikingSd),
            EngagementBias: rng.Gaussian(centres.EngagementBias, spreads.EngagementBiasSd),
            AffectNoise: spreads.AffectNoiseMin + (spreads.AffectNoiseMax - spreads.AffectNoiseMin) * rng.NextDouble());
        var traits = TraitPrior.Traits(id, affinity, bumpCentre, draws, spreads.EngagementNoise);

        // Observable record, derived from the traits with noise.
        var preferred = Enumerable.Range(0, affinity.Length)
            .Select(g => (g, score: affinity[g] + rng.Gaussian(0, TraitPrior.PreferredGenreNoise)))
            .OrderByDescending(x => x.score)
            .Take(rng.Next(1, 4))
            .Select(x => Genres.All[x.g].Name)
            .ToArray();
        int? era = rng.NextDouble() < 0.75
            ? (int)(Math.Floor((bumpCentre + rng.Gaussian(0, TraitPrior.PreferredEraNoiseYears)) / 10) * 10)
            : null;
        if (era is not null)
            era = Math.Clamp(era.Value, TraitPrior.FirstRecordedEra, TraitPrior.LastRecordedEra);

        double? maxArousal = null;
        if (rng.NextDouble() < (clinical ? 0.25 : 0.05))
            maxArousal = Math.Round(0.5 + 0.2 * rng.NextDouble(), 2);
        var excluded = Array.Empty<string>();
        if (rng.NextDouble() < (clinical ? 0.12 : 0.04))
        {
            // Staff exclude what upsets the patient: one or two of the least liked genres.
            excluded = Enumerable.Range(0, affinity.Length)
                .Where(g => !preferred.Contains(Genres.All[g].Name))
                .OrderBy(g => affinity[g])
                .Take(rng.Next(1, 3))
                .Select(g => Genres.All[g].Name)
                .ToArray();
        }

        var patient = new Patient(
            PatientId: id,
            BirthYear: birthYear,
            CareSetting: care,
            CognitiveStage: stage,
            PreferredGenres: preferred,
            MaxArousal: maxArousal,
            ExcludedGenres: excluded,
            Consent: rng.NextDouble() < config.ConsentRate,
            PreferredEra: era,
            CareUnit: clinical ? rng.Pick(CareUnits) : null);
        return new SimulatedPatient(patient, traits);
    }

    private static CognitiveStage PickStage(Random rng) => rng.NextDouble() switch
    {
        < 0.40 => CognitiveStage.Mild,
        < 0.80 => CognitiveStage.Moderate,
        _ => CognitiveStage.Severe,
    };
}
