using Amrs.Core.Catalog;
using Amrs.Core.Patients;

namespace Amrs.Core.Utility;

/// <summary>
/// The hard constraints every decoded playlist obeys: the strictest arousal ceiling of mode, patient and
/// profile, and no excluded genre (the patient's or the profile's). A track whose genre is unknown is allowed
/// unless the patient excludes genres, in which case it is refused (the cautious choice, as the ethics guard does).
/// </summary>
public static class TrackConstraints
{
    public static bool IsAllowed(Track track, Patient patient, UtilityProfile profile) => Violation(track, patient, profile) is null;

    /// <summary>Why the track is not allowed, in words; null when it is.</summary>
    public static string? Violation(Track track, Patient patient, UtilityProfile profile)
    {
        var ceiling = profile.ArousalCeiling(patient);
        if (track.Arousal > ceiling + 1e-12)
            return $"arousal {track.Arousal:0.00} is above the limit {ceiling:0.00}";
        var excluded = patient.ExcludedGenres.Concat(profile.ExcludedGenresOrEmpty).ToList();
        if (excluded.Count == 0) return null;
        if (track.Genre is null) return "its genre is unknown and the patient has excluded genres";
        return excluded.Any(g => string.Equals(g, track.Genre, StringComparison.OrdinalIgnoreCase))
            ? $"genre '{track.Genre}' is excluded"
            : null;
    }
}
