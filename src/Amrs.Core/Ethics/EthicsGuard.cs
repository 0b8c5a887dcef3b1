using System.Globalization;
using Amrs.Core.Affect;
using Amrs.Core.Catalog;
using Amrs.Core.Patients;
using Amrs.Core.Security;

namespace Amrs.Core.Ethics;

/// <summary>
/// The ethics guard's rules as pure functions. Services gather the facts (patient, playlist, approval,
/// provenance re-decoded now, catalog entries, the time), call a check, act on the decision and write it to the
/// audit trail. Each check evaluates its rules in a fixed order and stops at the first that fails.
/// <para>
/// The rules: a session starts only with consent, never while a stop for distress awaits the clinician's review,
/// from an approved, signed, unexpired, unwithdrawn playlist whose binding hash still matches its content and that was
/// approved under the patient's goals as they stand now; a playlist for care is the deterministic proposal of a model
/// version promoted for care (shown by decoding again and comparing track lists) or a clinician's signed edit of one;
/// anything that would assign a patient to a policy at random (sampling, exploration, a model not promoted, a list
/// changed after approval) is refused; the mode's and the patient's limits are checked again at delivery.
/// </para>
/// </summary>
public static class EthicsGuard
{
    /// <summary>Whether a session may start now from the request's playlist. Checks every rule in <see cref="GuardRules"/>.</summary>
    public static GuardDecision CanStartSession(SessionStartRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(StartSessionChecks(request));
    }

    /// <summary>Whether a proposal (or a clinician's edit of it) may be used for care at all.</summary>
    public static GuardDecision CanUseForCare(ProposalProvenance provenance)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        return Run(CareChecks(provenance));
    }

    /// <summary>
    /// Whether a clinician may approve the playlist: consent, the provenance rules and the track limits, before
    /// the signature and the binding hash exist.
    /// </summary>
    public static GuardDecision CanApprove(
        Patient patient, BoundPlaylist playlist, ProposalProvenance provenance, IReadOnlyCollection<Track> tracks)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(playlist);
        ArgumentNullException.ThrowIfNull(provenance);
        ArgumentNullException.ThrowIfNull(tracks);
        return Run(ApproveChecks(patient, playlist, provenance, tracks));
    }

    /// <summary>Whether the tracks (in playing order) stay within the mode's and the patient's limits.</summary>
    public static GuardDecision CheckTrackLimits(Patient patient, SessionMode mode, IReadOnlyList<Track> tracks)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(tracks);
        return Run(TrackLimitChecks(patient, mode, tracks));
    }

    private readonly record struct Check(string Rule, string? Failure);

    // The checks are lazy: a rule after a failing one is never evaluated (it may rely on the earlier one).
    private static GuardDecision Run(IEnumerable<Check> checks)
    {
        var checkedRules = new List<string>();
        foreach (var check in checks)
        {
            checkedRules.Add(check.Rule);
            if (check.Failure is not null)
                return GuardDecision.Refuse(check.Rule, check.Failure, checkedRules);
        }
        return GuardDecision.Allow(checkedRules);
    }

    private static IEnumerable<Check> StartSessionChecks(SessionStartRequest request)
    {
        var (patient, playlist, approval, provenance) = (request.Patient, request.Playlist, request.Approval, request.Provenance);

        yield return new(GuardRules.ConsentRequired, ConsentFailure(patient));
        yield return new(GuardRules.SamePatient, SamePatientFailure(patient, playlist, provenance)
            ?? (approval is not null && approval.PatientId != patient.PatientId
                ? $"The approval is for patient {approval.PatientId}, not {patient.PatientId}."
                : null));
        yield return new(GuardRules.NoOpenDistressAlert, request.OpenDistressStop is { } stop
            ? $"A session of patient {patient.PatientId} was stopped for distress at {Time(stop.StoppedAt)} ({stop.Reason}); music starts again once the responsible clinician has reviewed that alert."
            : null);
        yield return new(GuardRules.PlaylistApproved, approval switch
        {
            null => $"Playlist {playlist.PlaylistId} has no approval.",
            _ when approval.PlaylistId != playlist.PlaylistId =>
                $"The approval is for playlist {approval.PlaylistId}, not {playlist.PlaylistId}.",
            _ when approval.Status != ApprovalStatus.Approved =>
                $"Playlist {playlist.PlaylistId} is {approval.Status.ToString().ToLowerInvariant()}, not approved.",
            _ => null,
        });
        yield return new(GuardRules.ApprovalSigned, ApprovalSignatureFailure(approval!, request.Now));
        yield return new(GuardRules.ApprovalInForce, approval!.ValidFrom > request.Now
            ? $"The approval is not in force yet: it holds from {Time(approval.ValidFrom)}."
            : approval.ValidUntil <= request.Now
                ? $"The approval expired at {Time(approval.ValidUntil)}."
                : null);
        yield return new(GuardRules.BindingMatches, BindingFailure(playlist, approval));
        yield return new(GuardRules.GoalsUnchanged, request.CurrentProfileVersion == playlist.ProfileVersion
            ? null
            : request.CurrentProfileVersion is null
                ? $"Patient {patient.PatientId} has no goals set now; a clinician must set them and approve a list again."
                : $"The patient's goals changed after this list was approved (approved under version {playlist.ProfileVersion}, now {request.CurrentProfileVersion}): a clinician must preview and approve a list again.");

        foreach (var check in ProvenanceAndLimitChecks(patient, playlist, provenance, request.Tracks))
            yield return check;
    }

    private static IEnumerable<Check> ApproveChecks(
        Patient patient, BoundPlaylist playlist, ProposalProvenance provenance, IReadOnlyCollection<Track> tracks)
    {
        yield return new(GuardRules.ConsentRequired, ConsentFailure(patient));
        yield return new(GuardRules.SamePatient, SamePatientFailure(patient, playlist, provenance));
        foreach (var check in ProvenanceAndLimitChecks(patient, playlist, provenance, tracks))
            yield return check;
    }

    private static IEnumerable<Check> ProvenanceAndLimitChecks(
        Patient patient, BoundPlaylist playlist, ProposalProvenance provenance, IReadOnlyCollection<Track> tracks)
    {
        yield return new(GuardRules.ProvenanceMatchesPlaylist, ProvenanceMismatch(playlist, provenance));
        foreach (var check in CareChecks(provenance))
            yield return check;

        var catalog = new Dictionary<string, Track>(StringComparer.Ordinal);
        foreach (var track in tracks)
            catalog.TryAdd(track.TrackId, track);
        var missing = playlist.TrackIds.Where(id => !catalog.ContainsKey(id)).ToList();
        yield return new(GuardRules.TracksKnown, missing.Count == 0
            ? null
            : $"{Count(missing.Count, "track")} of the playlist {(missing.Count == 1 ? "is" : "are")} not in the catalog: {Quote(missing)}.");

        var resolved = playlist.TrackIds.Select(id => catalog[id]).ToList();
        foreach (var check in TrackLimitChecks(patient, playlist.Mode, resolved))
            yield return check;
    }

    private static IEnumerable<Check> CareChecks(ProposalProvenance provenance)
    {
        yield return new(GuardRules.DeterministicProposal, provenance.Decoding.IsDeterministic
            ? null
            : provenance.Decoding.Strategy != DecodingStrategy.Greedy
                ? $"The proposal was decoded by {provenance.Decoding.Strategy.ToString().ToLowerInvariant()}: care never assigns tracks at random."
                : $"The proposal was decoded with exploration (rate {Number(provenance.Decoding.ExplorationRate)}): care never assigns tracks at random.");
        yield return new(GuardRules.ModelPromotedForCare, provenance.ModelStatus == ModelCareStatus.PromotedForCare
            ? null
            : $"Model version {provenance.ModelVersion} is {Words(provenance.ModelStatus)}, not promoted for care.");
        yield return new(GuardRules.ProposalReproduced, ReproductionFailure(provenance));
        if (provenance.Edit is { } edit)
            yield return new(GuardRules.ClinicianEditSigned, EditSignatureFailure(edit));
    }

    private static IEnumerable<Check> TrackLimitChecks(Patient patient, SessionMode mode, IReadOnlyList<Track> tracks)
    {
        yield return new(GuardRules.PlaylistNotEmpty, tracks.Count == 0 ? "The playlist has no tracks." : null);

        var modeLimit = ModeTargets.MaxTrackArousal(mode);
        yield return new(GuardRules.ModeArousalLimit, ArousalFailure(tracks, modeLimit, $"the {Words(mode)} mode's limit"));

        yield return new(GuardRules.PatientArousalLimit, patient.MaxArousal is { } patientLimit
            ? ArousalFailure(tracks, patientLimit, $"patient {patient.PatientId}'s limit")
            : null);

        var excluded = new HashSet<string>(
            patient.ExcludedGenres.Select(g => g.Trim()).Where(g => g.Length > 0), StringComparer.OrdinalIgnoreCase);
        var offending = excluded.Count == 0
            ? []
            : tracks.Where(t => string.IsNullOrWhiteSpace(t.Genre) || excluded.Contains(t.Genre.Trim())).ToList();
        yield return new(GuardRules.ExcludedGenres, offending.Count == 0
            ? null
            : string.IsNullOrWhiteSpace(offending[0].Genre)
                ? $"Track {offending[0].TrackId} has no known genre, so it cannot be shown not to be excluded for patient {patient.PatientId} ({Count(offending.Count, "track")} in all)."
                : $"Track {offending[0].TrackId} is {offending[0].Genre!.Trim()}, a genre excluded for patient {patient.PatientId} ({Count(offending.Count, "track")} in all).");
    }

    private static string? ConsentFailure(Patient patient) =>
        patient.Consent ? null : $"Patient {patient.PatientId} has not consented to music care.";

    private static string? SamePatientFailure(Patient patient, BoundPlaylist playlist, ProposalProvenance provenance) =>
        playlist.PatientId != patient.PatientId
            ? $"The playlist is for patient {playlist.PatientId}, not {patient.PatientId}."
            : provenance.PatientId != patient.PatientId
                ? $"The proposal was made for patient {provenance.PatientId}, not {patient.PatientId}."
                : null;

    private static string? ApprovalSignatureFailure(ApprovalRecord approval, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(approval.SignerId) || string.IsNullOrWhiteSpace(approval.SignerPrintedName))
            return "The approval has no signer's id and printed name.";
        if (approval.SignerRole != Roles.Clinician)
            return $"The approval was signed by a {Roles.DisplayName(approval.SignerRole)}, not a clinician.";
        if (approval.Meaning != SignatureMeanings.Approval)
            return $"The signature means \"{approval.Meaning}\", not \"{SignatureMeanings.Approval}\".";
        if (approval.SignedAt == default || approval.SignedAt > now)
            return "The approval has no valid signing time.";
        return null;
    }

    private static string? BindingFailure(BoundPlaylist playlist, ApprovalRecord approval)
    {
        string binding;
        try
        {
            binding = ApprovalBinding.Compute(playlist);
        }
        catch (ArgumentException error)
        {
            return $"The playlist's binding cannot be computed: {error.Message}";
        }
        return string.Equals(binding, approval.BindingHash, StringComparison.Ordinal)
            ? null
            : $"Playlist {playlist.PlaylistId} changed after it was approved: its content no longer matches the signed binding.";
    }

    private static string? ProvenanceMismatch(BoundPlaylist playlist, ProposalProvenance provenance)
    {
        var difference = FirstDifference(provenance.CareTrackIds, playlist.TrackIds);
        if (difference is not null)
        {
            return provenance.Edit is null
                ? $"The playlist is not the model's proposal: {difference}."
                : $"The playlist is not the clinician's signed edit: {difference}.";
        }
        return playlist.ModelVersions.Contains(provenance.ModelVersion, StringComparer.Ordinal)
            ? null
            : $"The proposal came from model version {provenance.ModelVersion}, which the playlist does not name.";
    }

    private static string? ReproductionFailure(ProposalProvenance provenance)
    {
        if (provenance.ReproducedTrackIds.Count == 0)
            return $"Decoding again with model version {provenance.ModelVersion} gave no tracks: the proposal could not be reproduced.";
        var difference = FirstDifference(provenance.ReproducedTrackIds, provenance.ProposedTrackIds);
        return difference is null
            ? null
            : $"Decoding again with model version {provenance.ModelVersion} and the recorded inputs gives a different list: {difference}.";
    }

    private static string? EditSignatureFailure(ClinicianEdit edit)
    {
        if (string.IsNullOrWhiteSpace(edit.EditorId) || string.IsNullOrWhiteSpace(edit.EditorPrintedName))
            return "The edit has no signer's id and printed name.";
        if (edit.EditorRole != Roles.Clinician)
            return $"The edit was signed by a {Roles.DisplayName(edit.EditorRole)}, not a clinician.";
        if (edit.Meaning != SignatureMeanings.Authorship)
            return $"The edit's signature means \"{edit.Meaning}\", not \"{SignatureMeanings.Authorship}\".";
        if (edit.SignedAt == default)
            return "The edit has no signing time.";
        return null;
    }

    private static string? ArousalFailure(IReadOnlyList<Track> tracks, double limit, string limitName)
    {
        // Written as "not within" so that a NaN arousal fails too.
        var above = tracks.Where(t => !(t.Arousal <= limit)).ToList();
        return above.Count == 0
            ? null
            : $"Track {above[0].TrackId} has arousal {Number(above[0].Arousal)}, above {limitName} of {Number(limit)} ({Count(above.Count, "track")} in all).";
    }

    /// <summary>Describes where two track lists first differ, or null if they are the same.</summary>
    private static string? FirstDifference(IReadOnlyList<string> actual, IReadOnlyList<string> expected)
    {
        var shared = Math.Min(actual.Count, expected.Count);
        for (var i = 0; i < shared; i++)
        {
            if (!string.Equals(actual[i], expected[i], StringComparison.Ordinal))
                return $"at position {i + 1} it has {actual[i]} where {expected[i]} was expected";
        }
        return actual.Count == expected.Count
            ? null
            : $"it has {Count(actual.Count, "track")} where {expected.Count} were expected";
    }

    private static string Time(DateTimeOffset instant) => instant.UtcDateTime.ToString("u", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private static string Quote(IEnumerable<string> ids) => string.Join(", ", ids);

    private static string Words<T>(T value) where T : struct, Enum => value.ToString() switch
    {
        nameof(ModelCareStatus.PromotedForCare) => "promoted for care",
        nameof(ModelCareStatus.RolledBack) => "rolled back",
        var name => name.ToLowerInvariant(),
    };
}
