namespace Amrs.Core.Ethics;

/// <summary>
/// The ids of the ethics guard's rules. They appear in decisions, in the audit trail and on screen, so they are
/// stable: never change a value; add a rule instead.
/// </summary>
public static class GuardRules
{
    /// <summary>The patient (or their representative) has consented to music care.</summary>
    public const string ConsentRequired = "consent-required";

    /// <summary>The playlist, its approval and its provenance all belong to the patient in the session.</summary>
    public const string SamePatient = "same-patient";

    /// <summary>
    /// No session of the patient stopped for distress waits for the clinician's review: after a stop for distress,
    /// music starts again only once the responsible clinician has acknowledged the alert.
    /// </summary>
    public const string NoOpenDistressAlert = "no-open-distress-alert";

    /// <summary>The playlist has an approval in the Approved state, for this playlist.</summary>
    public const string PlaylistApproved = "playlist-approved";

    /// <summary>The approval carries a clinician's signature: id, printed name, time and the meaning "Approved for delivery" (21 CFR 11.50).</summary>
    public const string ApprovalSigned = "approval-signed";

    /// <summary>The approval is in force now: after its valid-from and before its valid-until.</summary>
    public const string ApprovalInForce = "approval-in-force";

    /// <summary>The playlist's content still hashes to the binding hash that was signed (nothing changed after approval).</summary>
    public const string BindingMatches = "binding-matches";

    /// <summary>
    /// The playlist was approved under the patient's goals as they stand now: a clinician who changes a patient's
    /// goals (mode, target, weights) makes the lists approved under the earlier version wait for a new approval.
    /// </summary>
    public const string GoalsUnchanged = "goals-unchanged";

    /// <summary>The provenance is the one of this playlist: same tracks in the same order, same model version.</summary>
    public const string ProvenanceMatchesPlaylist = "provenance-matches-playlist";

    /// <summary>The proposal was decoded greedily: no sampling, no exploration (nothing assigns a patient at random).</summary>
    public const string DeterministicProposal = "deterministic-proposal";

    /// <summary>The model version that proposed the playlist is promoted for care now.</summary>
    public const string ModelPromotedForCare = "model-promoted-for-care";

    /// <summary>Decoding again with the recorded model version and inputs gives the same track list.</summary>
    public const string ProposalReproduced = "proposal-reproduced";

    /// <summary>A clinician's edit of a proposal carries the clinician's signature with the meaning "Authorship".</summary>
    public const string ClinicianEditSigned = "clinician-edit-signed";

    /// <summary>Every track of the playlist is in the catalog as delivered.</summary>
    public const string TracksKnown = "tracks-known";

    /// <summary>There is at least one track to deliver.</summary>
    public const string PlaylistNotEmpty = "playlist-not-empty";

    /// <summary>No track is above the mode's arousal limit (<c>ModeTargets.MaxTrackArousal</c>).</summary>
    public const string ModeArousalLimit = "mode-arousal-limit";

    /// <summary>No track is above the patient's own maximum arousal.</summary>
    public const string PatientArousalLimit = "patient-arousal-limit";

    /// <summary>No track is of a genre excluded for the patient (a track of unknown genre counts as excluded if the patient has exclusions).</summary>
    public const string ExcludedGenres = "excluded-genres";

    /// <summary>The <see cref="GuardDecision.Rule"/> of an allowed decision: every rule in <see cref="GuardDecision.RulesChecked"/> passed.</summary>
    public const string AllPassed = "all-passed";
}

/// <summary>The names of the guard's checks, for <see cref="GuardDecision.ToAuditDetails(string)"/>.</summary>
public static class GuardChecks
{
    public const string StartSession = "start-session";
    public const string UseForCare = "use-for-care";
    public const string Approve = "approve";
    public const string TrackLimits = "track-limits";
}
