using Amrs.Core.Catalog;
using Amrs.Core.Patients;

namespace Amrs.Core.Ethics;

/// <summary>
/// Everything the guard needs to decide whether a session may start, as read by the caller at the moment of
/// delivery: the patient record now, the playlist content now, its approval, its provenance (re-decoded now) and
/// the catalog entries of its tracks, which version of the patient's goals holds now, and any stop for distress not yet reviewed.
/// </summary>
/// <param name="Approval">The playlist's current approval, or null if it has none.</param>
/// <param name="Tracks">Catalog entries for the playlist's tracks (any order; extra entries are ignored).</param>
/// <param name="Now">The time of delivery, from the caller's clock.</param>
/// <param name="CurrentProfileVersion">The version of the patient's goals (utility profile) now, in the form
/// <see cref="BoundPlaylist.ProfileVersion"/> uses; null when the patient has no goals set.</param>
/// <param name="OpenDistressStop">The latest session of this patient stopped for distress whose alert the clinician has
/// not yet acknowledged, or null when there is none.</param>
public sealed record SessionStartRequest(
    Patient Patient,
    BoundPlaylist Playlist,
    ApprovalRecord? Approval,
    ProposalProvenance Provenance,
    IReadOnlyCollection<Track> Tracks,
    DateTimeOffset Now,
    string? CurrentProfileVersion,
    DistressStop? OpenDistressStop = null);

/// <summary>A session stopped at once for distress: when, and the reason care staff gave.</summary>
public sealed record DistressStop(DateTimeOffset StoppedAt, string Reason);
