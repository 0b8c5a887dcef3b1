using Amrs.Core.Patients;

namespace Amrs.Engine.Features;

/// <summary>
/// The patient context fed with every history step: birth year, care setting, cognitive stage and simple
/// preference features (preferred and excluded genres in the same hash buckets as track genres, preferred
/// era, personal arousal limit), each optional value with a known flag.
/// </summary>
public static class PatientFeatures
{
    public static int Size(FeatureSpec spec) => 1 + 2 + 4 + 2 * spec.GenreBuckets + 2 + 2;

    public static float[] Encode(Patient patient, FeatureSpec spec)
    {
        var features = new float[Size(spec)];
        var i = 0;
        features[i++] = (float)((patient.BirthYear - spec.BirthYearMean) / spec.BirthYearStd);
        features[i + (int)patient.CareSetting] = 1;
        i += 2;
        features[i + (int)patient.CognitiveStage] = 1;
        i += 4;
        foreach (var genre in patient.PreferredGenres.Where(g => !string.IsNullOrWhiteSpace(g)))
            features[i + StableHash.Bucket(genre, spec.GenreBuckets)] = 1;
        i += spec.GenreBuckets;
        foreach (var genre in patient.ExcludedGenres.Where(g => !string.IsNullOrWhiteSpace(g)))
            features[i + StableHash.Bucket(genre, spec.GenreBuckets)] = 1;
        i += spec.GenreBuckets;
        if (patient.PreferredEra is { } era)
        {
            // Mid-decade, on the same scale as track years so the model can compare the two.
            features[i] = (float)((era + 5 - spec.YearMean) / spec.YearStd);
            features[i + 1] = 1;
        }
        i += 2;
        if (patient.MaxArousal is { } maxArousal)
        {
            features[i] = (float)maxArousal;
            features[i + 1] = 1;
        }
        return features;
    }
}
