using Amrs.Core.Affect;
using Amrs.Core.Catalog;
using Amrs.Core.Ethics;
using Amrs.Core.Patients;
using Amrs.Core.Security;

namespace Amrs.Core.Tests.Ethics;

/// <summary>A request that passes every rule; each test changes one thing.</summary>
internal static class EthicsFixture
{
    public static readonly DateTimeOffset Now = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    public static readonly Patient Patient = new(
        "P-0001", 1941, CareSetting.Clinical, CognitiveStage.Moderate, ["Folk"], MaxArousal: 0.6,
        ExcludedGenres: ["Heavy Metal"], Consent: true);

    public static readonly IReadOnlyList<Track> CatalogTracks =
    [
        new("t1", "Morning", "A", Valence: 0.7, Arousal: 0.20, Genre: "Folk"),
        new("t2", "River", "B", Valence: 0.8, Arousal: 0.35, Genre: "Classical"),
        new("t3", "Evening", "C", Valence: 0.6, Arousal: 0.50, Genre: "Folk"),
        new("t4", "Lullaby", "D", Valence: 0.6, Arousal: 0.10, Genre: "Classical"),
        new("loud", "Storm", "E", Valence: 0.6, Arousal: 0.62, Genre: "Folk"),
        new("metal", "Iron", "F", Valence: 0.5, Arousal: 0.30, Genre: "heavy metal "),
        new("nogenre", "Unknown", "G", Valence: 0.5, Arousal: 0.30),
    ];

    public static readonly BoundPlaylist Playlist = new(
        "pl-1", "P-0001", SessionMode.Calm, Target: null, "profile-7", ["policy-v3", "world-v2"], ["t1", "t2", "t3"]);

    public static readonly ProposalProvenance Provenance = new(
        "P-0001", "policy-v3", ModelCareStatus.PromotedForCare, DecodingSettings.Greedy,
        ProposedTrackIds: ["t1", "t2", "t3"], ReproducedTrackIds: ["t1", "t2", "t3"]);

    public static readonly ApprovalRecord Approval = SignedApproval(Playlist);

    public static readonly SessionStartRequest Request = new(Patient, Playlist, Approval, Provenance, CatalogTracks, Now, CurrentProfileVersion: "profile-7");

    public static ApprovalRecord SignedApproval(BoundPlaylist playlist) => new(
        playlist.PlaylistId, playlist.PatientId, ApprovalStatus.Approved, "clin-1", "Dr. Ana Rossi", Roles.Clinician,
        Now.AddHours(-1), SignatureMeanings.Approval, ValidFrom: Now.AddHours(-1), ValidUntil: Now.AddDays(7),
        ApprovalBinding.Compute(playlist));

    /// <summary>The request for a changed playlist whose approval was signed anew, so later rules are reached.</summary>
    public static SessionStartRequest Resigned(BoundPlaylist playlist, ProposalProvenance provenance) =>
        Request with { Playlist = playlist, Provenance = provenance, Approval = SignedApproval(playlist) };

    public static ClinicianEdit SignedEdit(IReadOnlyList<string> trackIds) => new(
        "clin-1", "Dr. Ana Rossi", Roles.Clinician, Now.AddHours(-2), SignatureMeanings.Authorship, trackIds);
}
