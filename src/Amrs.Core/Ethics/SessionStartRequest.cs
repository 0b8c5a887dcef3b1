using Amrs.Core.Catalog;
using Amrs.Core.Patients;

namespace Amrs.Core.Ethics;

/// <summary>
/// Everything the guard needs to decide whether a session may start, as read by the caller at the moment of
/// delivery: the patient record now, the playlist content now, its approval, its provenance (re-decoded now) and
/// the catalog entries of its tracks.
/// </summary>
/// <param name="Approval">The playlist's current approval, or null if it has none.</param>
/// <param name="Tracks">Catalog entries for the playlist's tracks (any order; extra entries are ignored).</param>
/// <param name="Now">The time of delivery, from the caller's clock.</param>
public sealed record SessionStartRequest(
    Patient Patient,
    BoundPlaylist Playlist,
    ApprovalRecord? Approval,
    ProposalProvenance Provenance,
    IReadOnlyCollection<Track> Tracks,
    DateTimeOffset Now);
