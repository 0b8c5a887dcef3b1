using Amrs.Core.Affect;
using Amrs.Core.Utility;

namespace Amrs.Data.Care;

/// <summary>
/// One version of a patient's utility profile. Versions are never edited: saving makes a new version with who,
/// when and why; restoring an old one makes a new version too (with <see cref="RestoredFromVersion"/>).
/// </summary>
public sealed class UtilityProfileEntity
{
    public long Id { get; set; }
    public required string PatientId { get; set; }
    public int Version { get; set; }
    public SessionMode Mode { get; set; }
    public double TargetValence { get; set; }
    public double TargetArousal { get; set; }
    public double WeightValence { get; set; }
    public double WeightArousal { get; set; }
    public double WeightEngagement { get; set; }
    public double WeightRating { get; set; }
    public double WeightDiversity { get; set; }
    public double WeightFamiliarity { get; set; }
    public bool FollowIsoPath { get; set; }
    public double? MaxArousal { get; set; }
    public List<string> ExcludedGenres { get; set; } = [];
    public int PlaylistLength { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedByUserId { get; set; }
    public required string CreatedByName { get; set; }
    public required string Reason { get; set; }
    public int? RestoredFromVersion { get; set; }

    public UtilityProfile ToDomain() => new(
        Mode,
        new AffectPoint(TargetValence, TargetArousal),
        new UtilityWeights(WeightValence, WeightArousal, WeightEngagement, WeightRating, WeightDiversity, WeightFamiliarity),
        FollowIsoPath,
        MaxArousal,
        ExcludedGenres.ToArray(),
        PlaylistLength);

    public void SetFrom(UtilityProfile profile)
    {
        Mode = profile.Mode;
        TargetValence = profile.Target.Valence;
        TargetArousal = profile.Target.Arousal;
        WeightValence = profile.Weights.Valence;
        WeightArousal = profile.Weights.Arousal;
        WeightEngagement = profile.Weights.Engagement;
        WeightRating = profile.Weights.Rating;
        WeightDiversity = profile.Weights.Diversity;
        WeightFamiliarity = profile.Weights.Familiarity;
        FollowIsoPath = profile.FollowIsoPath;
        MaxArousal = profile.MaxArousal;
        ExcludedGenres = [.. profile.ExcludedGenresOrEmpty];
        PlaylistLength = profile.PlaylistLength;
    }
}
