using Amrs.Core.Affect;
using Amrs.Core.Patients;

namespace Amrs.Core.Utility;

/// <summary>
/// A patient's goals for a session: the mode, the target on the valence-arousal square, the utility weights,
/// whether to follow the iso principle (start near the patient's current state and move gradually to the
/// target), hard limits on top of the patient's contraindications, and the playlist length.
/// </summary>
public sealed record UtilityProfile(
    SessionMode Mode,
    AffectPoint Target,
    UtilityWeights Weights,
    bool FollowIsoPath = true,
    double? MaxArousal = null,
    IReadOnlyList<string>? ExcludedGenres = null,
    int PlaylistLength = 12)
{
    public const int MinPlaylistLength = 1;
    public const int MaxPlaylistLength = 40;

    public IReadOnlyList<string> ExcludedGenresOrEmpty => ExcludedGenres ?? [];

    /// <summary>The default profile for a mode: its target region's centre and its default weights.</summary>
    public static UtilityProfile DefaultFor(SessionMode mode) =>
        new(mode, ModeTargets.DefaultTarget(mode), UtilityWeights.DefaultFor(mode));

    /// <summary>A patient's default: clinical patients start in clinical mode, consumers in calm.</summary>
    public static UtilityProfile DefaultFor(Patient patient) =>
        DefaultFor(patient.CareSetting == CareSetting.Clinical ? SessionMode.Clinical : SessionMode.Calm);

    /// <summary>The strictest arousal ceiling of the mode, the patient and this profile.</summary>
    public double ArousalCeiling(Patient patient) =>
        Math.Min(ModeTargets.MaxTrackArousal(Mode), Math.Min(patient.MaxArousal ?? 1.0, MaxArousal ?? 1.0));

    /// <summary>Every problem with the profile, each naming the field; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(Weights.Validate());
        if (!Enum.IsDefined(Mode)) errors.Add($"Mode '{Mode}' is not a session mode.");
        if (double.IsNaN(Target.Valence) || Target.Valence is < 0 or > 1) errors.Add($"Target valence is {Target.Valence}; it lies between 0 and 1.");
        if (double.IsNaN(Target.Arousal) || Target.Arousal is < 0 or > 1) errors.Add($"Target arousal is {Target.Arousal}; it lies between 0 and 1.");
        if (MaxArousal is { } max && (double.IsNaN(max) || max is < 0 or > 1)) errors.Add($"Maximum arousal is {max}; it lies between 0 and 1.");
        if (PlaylistLength is < MinPlaylistLength or > MaxPlaylistLength)
            errors.Add($"Playlist length is {PlaylistLength}; choose {MinPlaylistLength} to {MaxPlaylistLength} tracks.");
        if (Enum.IsDefined(Mode) && Target.Arousal > ModeTargets.MaxTrackArousal(Mode) + 1e-9)
            errors.Add($"Target arousal {Target.Arousal:0.00} is above the {Mode} mode's limit of {ModeTargets.MaxTrackArousal(Mode):0.00}.");
        return errors;
    }
}
