namespace Amrs.Core.Splits;

/// <summary>
/// A cold-start split: patients (not sessions) go to exactly one part, so a model is always tested on people
/// it has never seen.
/// </summary>
public sealed record ColdStartSplit(int Seed, IReadOnlyList<string> Train, IReadOnlyList<string> Validation, IReadOnlyList<string> Test)
{
    /// <summary>Which part a patient is in.</summary>
    public SplitPart PartOf(string patientId) =>
        Train.Contains(patientId) ? SplitPart.Train
        : Validation.Contains(patientId) ? SplitPart.Validation
        : Test.Contains(patientId) ? SplitPart.Test
        : throw new KeyNotFoundException($"Patient '{patientId}' is in no part of this split.");
}

public enum SplitPart
{
    Train,
    Validation,
    Test,
}

/// <summary>
/// Splits patients 80/10/10 (by default) from a seed, and draws K such splits for Monte Carlo evaluation.
/// The ids are sorted (ordinal) before shuffling, so the split depends only on the set of ids and the seed,
/// never on the order they arrive in.
/// </summary>
public static class ColdStartSplitter
{
    public static ColdStartSplit Split(IEnumerable<string> patientIds, int seed, double trainShare = 0.8, double validationShare = 0.1)
    {
        if (trainShare < 0 || validationShare < 0 || trainShare + validationShare > 1)
            throw new ArgumentOutOfRangeException(nameof(trainShare), "Shares must be non-negative and sum to at most 1.");
        var ids = patientIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var rng = new Random(seed);
        // Fisher-Yates shuffle.
        for (var i = ids.Length - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (ids[i], ids[j]) = (ids[j], ids[i]);
        }
        var train = (int)Math.Round(ids.Length * trainShare, MidpointRounding.AwayFromZero);
        var validation = Math.Min(ids.Length - train, (int)Math.Round(ids.Length * validationShare, MidpointRounding.AwayFromZero));
        return new ColdStartSplit(seed, ids[..train], ids[train..(train + validation)], ids[(train + validation)..]);
    }

    /// <summary>K independent splits; split k uses seed + k, so any one of them can be reproduced alone.</summary>
    public static IReadOnlyList<ColdStartSplit> MonteCarlo(IEnumerable<string> patientIds, int splits, int seed,
        double trainShare = 0.8, double validationShare = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(splits);
        var ids = patientIds.ToArray();
        return Enumerable.Range(0, splits)
            .Select(k => Split(ids, unchecked(seed + k), trainShare, validationShare))
            .ToArray();
    }
}
