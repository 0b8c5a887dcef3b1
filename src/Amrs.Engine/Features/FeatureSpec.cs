using Amrs.Core.Catalog;
using Amrs.Core.Patients;

namespace Amrs.Engine.Features;

/// <summary>
/// The statistics fitted on the training data that featurisation needs (saved with every model, so a model
/// is always served with the scaling it was trained with).
/// </summary>
public sealed record FeatureSpec(
    double YearMean,
    double YearStd,
    double LogDurationMean,
    double LogDurationStd,
    double BirthYearMean,
    double BirthYearStd,
    int GenreBuckets = FeatureSpec.DefaultGenreBuckets)
{
    /// <summary>
    /// Hash buckets for genre names (tracks, and patients' preferred and excluded genres). 16 merged the generated
    /// world's 18 genres into 10 slots (four shared one), hiding the genre affinities that drive liking; 96 keeps
    /// all 18 apart and leaves room for imported catalogs' genres.
    /// </summary>
    public const int DefaultGenreBuckets = 96;

    public static FeatureSpec Fit(IEnumerable<Track> tracks, IEnumerable<Patient> patients)
    {
        var trackList = tracks.ToList();
        var (yearMean, yearStd) = MeanStd(trackList.Where(t => t.Year is not null).Select(t => (double)t.Year!.Value), 1980, 20);
        var (durMean, durStd) = MeanStd(
            trackList.Where(t => t.DurationSeconds is > 0).Select(t => Math.Log(t.DurationSeconds!.Value)), Math.Log(210), 0.4);
        var (birthMean, birthStd) = MeanStd(patients.Select(p => (double)p.BirthYear), 1945, 10);
        return new FeatureSpec(yearMean, yearStd, durMean, durStd, birthMean, birthStd);
    }

    // Falls back to sensible constants when there is too little data to estimate a spread.
    private static (double Mean, double Std) MeanStd(IEnumerable<double> values, double fallbackMean, double fallbackStd)
    {
        var list = values.ToList();
        if (list.Count == 0) return (fallbackMean, fallbackStd);
        var mean = list.Average();
        if (list.Count < 2) return (mean, fallbackStd);
        var std = Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1));
        return (mean, std > 1e-6 ? std : fallbackStd);
    }
}
