using Amrs.Core.Affect;
using Amrs.Core.Audit;
using Amrs.Core.Ethics;
using Amrs.Core.Security;
using static Amrs.Core.Tests.Ethics.EthicsFixture;

namespace Amrs.Core.Tests.Ethics;

public sealed class EthicsGuardTests
{
    private static readonly string[] _allStartRules =
    [
        GuardRules.ConsentRequired, GuardRules.SamePatient, GuardRules.NoOpenDistressAlert, GuardRules.PlaylistApproved, GuardRules.ApprovalSigned,
        GuardRules.ApprovalInForce, GuardRules.BindingMatches, GuardRules.GoalsUnchanged, GuardRules.ProvenanceMatchesPlaylist,
        GuardRules.DeterministicProposal, GuardRules.ModelPromotedForCare, GuardRules.ProposalReproduced,
        GuardRules.TracksKnown, GuardRules.PlaylistNotEmpty, GuardRules.ModeArousalLimit,
        GuardRules.PatientArousalLimit, GuardRules.ExcludedGenres,
    ];

    [Fact]
    public void A_consented_approved_unchanged_deterministic_playlist_may_start_and_every_rule_is_named()
    {
        var decision = EthicsGuard.CanStartSession(Request);

        Assert.True(decision.Allowed, decision.Reason);
        Assert.Equal(GuardRules.AllPassed, decision.Rule);
        Assert.Equal(_allStartRules, decision.RulesChecked);
        Assert.Equal(AuditActions.GuardAllowed, decision.AuditAction);
        Assert.Equal(AuditOutcome.Success, decision.AuditOutcome);
    }

    // consent-required

    [Fact]
    public void Consent_required_refuses_a_patient_without_consent()
    {
        var decision = EthicsGuard.CanStartSession(Request with { Patient = Patient with { Consent = false } });

        AssertRefused(decision, GuardRules.ConsentRequired, "not consented");
        Assert.Equal([GuardRules.ConsentRequired], decision.RulesChecked);
        Assert.Equal(AuditActions.GuardRefused, decision.AuditAction);
        Assert.Equal(AuditOutcome.Refused, decision.AuditOutcome);
    }

    // same-patient

    [Fact]
    public void Same_patient_refuses_a_playlist_an_approval_or_a_proposal_of_another_patient()
    {
        var other = Patient with { PatientId = "P-0002" };

        AssertRefused(EthicsGuard.CanStartSession(Request with { Patient = other }), GuardRules.SamePatient, "P-0002");
        AssertRefused(EthicsGuard.CanStartSession(Request with { Approval = Approval with { PatientId = "P-0002" } }),
            GuardRules.SamePatient, "approval");
        AssertRefused(EthicsGuard.CanStartSession(Request with { Provenance = Provenance with { PatientId = "P-0002" } }),
            GuardRules.SamePatient, "proposal");
    }

    // playlist-approved

    [Fact]
    public void Playlist_approved_refuses_a_playlist_without_approval()
    {
        AssertRefused(EthicsGuard.CanStartSession(Request with { Approval = null }), GuardRules.PlaylistApproved, "no approval");
    }

    [Theory]
    [InlineData(ApprovalStatus.Pending)]
    [InlineData(ApprovalStatus.Rejected)]
    [InlineData(ApprovalStatus.Revoked)]
    [InlineData(ApprovalStatus.Superseded)]
    public void Playlist_approved_refuses_any_status_but_approved(ApprovalStatus status)
    {
        var decision = EthicsGuard.CanStartSession(Request with { Approval = Approval with { Status = status } });

        AssertRefused(decision, GuardRules.PlaylistApproved, status.ToString().ToLowerInvariant());
    }

    [Fact]
    public void Playlist_approved_refuses_the_approval_of_another_playlist()
    {
        var decision = EthicsGuard.CanStartSession(Request with { Approval = Approval with { PlaylistId = "pl-9" } });

        AssertRefused(decision, GuardRules.PlaylistApproved, "pl-9");
    }

    // approval-signed

    [Fact]
    public void Approval_signed_refuses_a_signature_without_printed_name()
    {
        AssertRefused(EthicsGuard.CanStartSession(Request with { Approval = Approval with { SignerPrintedName = " " } }),
            GuardRules.ApprovalSigned, "printed name");
    }

    [Fact]
    public void Approval_signed_refuses_a_signer_who_is_not_a_clinician()
    {
        AssertRefused(EthicsGuard.CanStartSession(Request with { Approval = Approval with { SignerRole = Roles.CareStaff } }),
            GuardRules.ApprovalSigned, "Care staff");
    }

    [Fact]
    public void Approval_signed_refuses_a_signature_with_another_meaning_or_from_the_future()
    {
        AssertRefused(EthicsGuard.CanStartSession(Request with { Approval = Approval with { Meaning = SignatureMeanings.Authorship } }),
            GuardRules.ApprovalSigned, "Authorship");
        AssertRefused(EthicsGuard.CanStartSession(Request with { Approval = Approval with { SignedAt = Now.AddMinutes(1) } }),
            GuardRules.ApprovalSigned, "signing time");
    }

    // approval-in-force

    [Fact]
    public void Approval_in_force_refuses_an_expired_approval_at_the_instant_it_ends()
    {
        var decision = EthicsGuard.CanStartSession(Request with { Now = Approval.ValidUntil });

        AssertRefused(decision, GuardRules.ApprovalInForce, "expired at 2026-05-08 10:00:00Z");
    }

    [Fact]
    public void Approval_in_force_refuses_an_approval_not_yet_in_force_and_allows_it_from_its_first_instant()
    {
        var later = Approval with { ValidFrom = Now.AddHours(1) };

        AssertRefused(EthicsGuard.CanStartSession(Request with { Approval = later }), GuardRules.ApprovalInForce, "not in force yet");
        Assert.True(EthicsGuard.CanStartSession(Request with { Approval = Approval with { ValidFrom = Now } }).Allowed);
    }

    // binding-matches

    [Fact]
    public void Binding_matches_refuses_a_track_list_changed_after_approval()
    {
        var changed = Playlist with { TrackIds = ["t1", "t4", "t3"] };
        var provenance = Provenance with { ProposedTrackIds = changed.TrackIds, ReproducedTrackIds = changed.TrackIds };

        var decision = EthicsGuard.CanStartSession(Request with { Playlist = changed, Provenance = provenance });

        AssertRefused(decision, GuardRules.BindingMatches, "changed after it was approved");
    }

    [Fact]
    public void Binding_matches_refuses_a_changed_mode_target_profile_or_model()
    {
        BoundPlaylist[] changes =
        [
            Playlist with { Mode = SessionMode.Sleep },
            Playlist with { Target = new AffectPoint(0.7, 0.3) },
            Playlist with { ProfileVersion = "profile-8" },
            Playlist with { ModelVersions = ["policy-v3", "world-v3"] },
            Playlist with { TrackIds = ["t2", "t1", "t3"] },
        ];

        foreach (var changed in changes)
            AssertRefused(EthicsGuard.CanStartSession(Request with { Playlist = changed }), GuardRules.BindingMatches, "approved");
    }

    // no-open-distress-alert

    [Fact]
    public void No_open_distress_alert_refuses_any_start_until_the_clinician_reviewed_the_stop()
    {
        var stop = new DistressStop(Now.AddMinutes(-20), "crying, asked to stop");

        var decision = EthicsGuard.CanStartSession(Request with { OpenDistressStop = stop });

        AssertRefused(decision, GuardRules.NoOpenDistressAlert, "stopped for distress");
        Assert.Contains("crying, asked to stop", decision.Reason);
    }

    // goals-unchanged

    [Fact]
    public void Goals_unchanged_refuses_a_list_approved_under_earlier_goals_and_says_which_versions()
    {
        var decision = EthicsGuard.CanStartSession(Request with { CurrentProfileVersion = "profile-8" });

        AssertRefused(decision, GuardRules.GoalsUnchanged, "goals changed after this list was approved");
        Assert.Contains("profile-7", decision.Reason);
        Assert.Contains("profile-8", decision.Reason);
    }

    [Fact]
    public void Goals_unchanged_refuses_when_the_patient_has_no_goals_now()
    {
        AssertRefused(EthicsGuard.CanStartSession(Request with { CurrentProfileVersion = null }), GuardRules.GoalsUnchanged, "no goals set");
    }

    // provenance-matches-playlist

    [Fact]
    public void Provenance_matches_playlist_refuses_a_playlist_that_is_not_the_proposal()
    {
        var proposal = new[] { "t1", "t2", "t4" };
        var provenance = Provenance with { ProposedTrackIds = proposal, ReproducedTrackIds = proposal };

        var decision = EthicsGuard.CanStartSession(Request with { Provenance = provenance });

        AssertRefused(decision, GuardRules.ProvenanceMatchesPlaylist, "at position 3 it has t4 where t3 was expected");
    }

    [Fact]
    public void Provenance_matches_playlist_refuses_a_proposal_from_a_model_the_playlist_does_not_name()
    {
        var decision = EthicsGuard.CanStartSession(Request with { Provenance = Provenance with { ModelVersion = "policy-v4" } });

        AssertRefused(decision, GuardRules.ProvenanceMatchesPlaylist, "policy-v4");
    }

    // deterministic-proposal

    [Fact]
    public void Deterministic_proposal_refuses_a_sampled_proposal()
    {
        var sampled = Provenance with { Decoding = new DecodingSettings(DecodingStrategy.Sampling) };

        AssertRefused(EthicsGuard.CanUseForCare(sampled), GuardRules.DeterministicProposal, "sampling");
        AssertRefused(EthicsGuard.CanStartSession(Request with { Provenance = sampled }), GuardRules.DeterministicProposal, "random");
    }

    [Fact]
    public void Deterministic_proposal_refuses_greedy_decoding_with_exploration()
    {
        var exploring = Provenance with { Decoding = new DecodingSettings(DecodingStrategy.Greedy, ExplorationRate: 0.1) };

        AssertRefused(EthicsGuard.CanUseForCare(exploring), GuardRules.DeterministicProposal, "exploration (rate 0.10)");
    }

    [Fact]
    public void A_greedy_proposal_of_a_promoted_model_that_reproduces_may_be_used_for_care()
    {
        var decision = EthicsGuard.CanUseForCare(Provenance);

        Assert.True(decision.Allowed, decision.Reason);
        Assert.Equal(
            [GuardRules.DeterministicProposal, GuardRules.ModelPromotedForCare, GuardRules.ProposalReproduced],
            decision.RulesChecked);
    }

    // model-promoted-for-care

    [Theory]
    [InlineData(ModelCareStatus.Candidate, "candidate")]
    [InlineData(ModelCareStatus.Proposed, "proposed")]
    [InlineData(ModelCareStatus.RolledBack, "rolled back")]
    [InlineData(ModelCareStatus.Retired, "retired")]
    public void Model_promoted_for_care_refuses_a_model_version_not_promoted(ModelCareStatus status, string words)
    {
        var decision = EthicsGuard.CanStartSession(Request with { Provenance = Provenance with { ModelStatus = status } });

        AssertRefused(decision, GuardRules.ModelPromotedForCare, $"policy-v3 is {words}");
    }

    // proposal-reproduced

    [Fact]
    public void Proposal_reproduced_refuses_when_decoding_again_gives_another_list()
    {
        var drifted = Provenance with { ReproducedTrackIds = ["t1", "t2", "t3", "t4"] };

        AssertRefused(EthicsGuard.CanUseForCare(drifted), GuardRules.ProposalReproduced, "4 tracks where 3 were expected");
        AssertRefused(EthicsGuard.CanStartSession(Request with { Provenance = drifted }), GuardRules.ProposalReproduced, "different list");
    }

    [Fact]
    public void Proposal_reproduced_refuses_when_the_proposal_could_not_be_decoded_again()
    {
        var unreproduced = Provenance with { ReproducedTrackIds = [] };

        AssertRefused(EthicsGuard.CanUseForCare(unreproduced), GuardRules.ProposalReproduced, "could not be reproduced");
    }

    // clinician-edit-signed

    [Fact]
    public void A_clinicians_signed_edit_of_a_valid_proposal_may_start_a_session()
    {
        var edited = Playlist with { TrackIds = ["t1", "t4", "t2"] };
        var provenance = Provenance with { Edit = SignedEdit(edited.TrackIds) };

        var decision = EthicsGuard.CanStartSession(Resigned(edited, provenance));

        Assert.True(decision.Allowed, decision.Reason);
        Assert.Contains(GuardRules.ClinicianEditSigned, decision.RulesChecked);
    }

    [Fact]
    public void Clinician_edit_signed_refuses_an_edit_by_care_staff_or_with_another_meaning_or_unnamed()
    {
        var edited = Playlist with { TrackIds = ["t1", "t4", "t2"] };
        ClinicianEdit[] bad =
        [
            SignedEdit(edited.TrackIds) with { EditorRole = Roles.CareStaff },
            SignedEdit(edited.TrackIds) with { Meaning = SignatureMeanings.Approval },
            SignedEdit(edited.TrackIds) with { EditorPrintedName = "" },
            SignedEdit(edited.TrackIds) with { SignedAt = default },
        ];

        foreach (var edit in bad)
        {
            var decision = EthicsGuard.CanStartSession(Resigned(edited, Provenance with { Edit = edit }));
            AssertRefused(decision, GuardRules.ClinicianEditSigned, "edit");
        }
    }

    [Fact]
    public void A_signed_edit_does_not_excuse_a_proposal_that_was_sampled()
    {
        var edited = Playlist with { TrackIds = ["t1", "t4"] };
        var provenance = Provenance with
        {
            Decoding = new DecodingSettings(DecodingStrategy.Sampling),
            Edit = SignedEdit(edited.TrackIds),
        };

        AssertRefused(EthicsGuard.CanStartSession(Resigned(edited, provenance)), GuardRules.DeterministicProposal, "random");
    }

    // tracks-known

    [Fact]
    public void Tracks_known_refuses_a_track_missing_from_the_catalog()
    {
        var decision = EthicsGuard.CanStartSession(Request with { Tracks = CatalogTracks.Where(t => t.TrackId != "t2").ToList() });

        AssertRefused(decision, GuardRules.TracksKnown, "1 track of the playlist is not in the catalog: t2");
    }

    // playlist-not-empty

    [Fact]
    public void Playlist_not_empty_refuses_an_empty_track_list_and_allows_one_track()
    {
        AssertRefused(EthicsGuard.CheckTrackLimits(Patient, SessionMode.Calm, []), GuardRules.PlaylistNotEmpty, "no tracks");
        Assert.True(EthicsGuard.CheckTrackLimits(Patient, SessionMode.Calm, [CatalogTracks[0]]).Allowed);
    }

    // mode-arousal-limit

    [Fact]
    public void Mode_arousal_limit_refuses_a_track_above_the_sleep_limit_that_focus_allows()
    {
        var tracks = CatalogTracks.Where(t => t.TrackId is "t1" or "t3").ToList(); // arousal 0.20 and 0.50

        AssertRefused(EthicsGuard.CheckTrackLimits(Patient, SessionMode.Sleep, tracks), GuardRules.ModeArousalLimit,
            "Track t3 has arousal 0.50, above the sleep mode's limit of 0.45 (1 track in all)");
        Assert.True(EthicsGuard.CheckTrackLimits(Patient, SessionMode.Focus, tracks).Allowed);
    }

    [Fact]
    public void Mode_arousal_limit_refuses_a_track_whose_arousal_is_not_a_number()
    {
        var broken = CatalogTracks[0] with { Arousal = double.NaN };

        AssertRefused(EthicsGuard.CheckTrackLimits(Patient, SessionMode.Focus, [broken]), GuardRules.ModeArousalLimit, "t1");
    }

    [Fact]
    public void Mode_arousal_limit_is_checked_again_at_delivery()
    {
        var sleepPlaylist = Playlist with { Mode = SessionMode.Sleep };
        var decision = EthicsGuard.CanStartSession(Resigned(sleepPlaylist, Provenance));

        AssertRefused(decision, GuardRules.ModeArousalLimit, "sleep");
    }

    // patient-arousal-limit

    [Fact]
    public void Patient_arousal_limit_refuses_a_track_above_the_patients_maximum()
    {
        var tracks = CatalogTracks.Where(t => t.TrackId is "t1" or "loud").ToList(); // 0.62: within calm (0.65), above 0.60

        AssertRefused(EthicsGuard.CheckTrackLimits(Patient, SessionMode.Calm, tracks), GuardRules.PatientArousalLimit,
            "Track loud has arousal 0.62, above patient P-0001's limit of 0.60");
        Assert.True(EthicsGuard.CheckTrackLimits(Patient with { MaxArousal = null }, SessionMode.Calm, tracks).Allowed);
    }

    // excluded-genres

    [Fact]
    public void Excluded_genres_refuses_an_excluded_genre_whatever_its_case_and_spacing()
    {
        var tracks = CatalogTracks.Where(t => t.TrackId is "t1" or "metal").ToList();

        AssertRefused(EthicsGuard.CheckTrackLimits(Patient, SessionMode.Calm, tracks), GuardRules.ExcludedGenres, "heavy metal");
        Assert.True(EthicsGuard.CheckTrackLimits(Patient with { ExcludedGenres = ["Jazz"] }, SessionMode.Calm, tracks).Allowed);
    }

    [Fact]
    public void Excluded_genres_refuses_a_track_of_unknown_genre_only_when_the_patient_has_exclusions()
    {
        var tracks = CatalogTracks.Where(t => t.TrackId is "nogenre").ToList();

        AssertRefused(EthicsGuard.CheckTrackLimits(Patient, SessionMode.Calm, tracks), GuardRules.ExcludedGenres, "no known genre");
        Assert.True(EthicsGuard.CheckTrackLimits(Patient with { ExcludedGenres = [] }, SessionMode.Calm, tracks).Allowed);
    }

    [Fact]
    public void Patient_limits_are_checked_again_at_delivery_after_the_record_changed()
    {
        var stricter = Patient with { ExcludedGenres = ["Classical"] };

        AssertRefused(EthicsGuard.CanStartSession(Request with { Patient = stricter }), GuardRules.ExcludedGenres, "t2");
    }

    // approval time

    [Fact]
    public void Can_approve_checks_consent_provenance_and_limits_before_any_signature()
    {
        var allowed = EthicsGuard.CanApprove(Patient, Playlist, Provenance, CatalogTracks);
        var refused = EthicsGuard.CanApprove(Patient, Playlist, Provenance with { ModelStatus = ModelCareStatus.Candidate }, CatalogTracks);

        Assert.True(allowed.Allowed, allowed.Reason);
        Assert.DoesNotContain(GuardRules.BindingMatches, allowed.RulesChecked);
        Assert.Contains(GuardRules.ExcludedGenres, allowed.RulesChecked);
        AssertRefused(refused, GuardRules.ModelPromotedForCare, "candidate");
    }

    [Fact]
    public void A_decision_becomes_the_audit_details_json()
    {
        var decision = EthicsGuard.CanStartSession(Request with { Patient = Patient with { Consent = false } });

        var details = decision.ToAuditDetails(GuardChecks.StartSession);

        Assert.True(AuditDetails.IsJsonObject(details));
        Assert.Contains("\"rule\":\"consent-required\"", details, StringComparison.Ordinal);
        Assert.Contains("\"allowed\":false", details, StringComparison.Ordinal);
        Assert.Contains("\"check\":\"start-session\"", details, StringComparison.Ordinal);
    }

    private static void AssertRefused(GuardDecision decision, string rule, string reasonContains)
    {
        Assert.False(decision.Allowed, $"expected a refusal by {rule}");
        Assert.Equal(rule, decision.Rule);
        Assert.Equal(rule, decision.RulesChecked[^1]);
        Assert.Contains(reasonContains, decision.Reason, StringComparison.OrdinalIgnoreCase);
    }
}
