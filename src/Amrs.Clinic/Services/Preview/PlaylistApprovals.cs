using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Engine;
using Amrs.Clinic.Services.Patients;
using Amrs.Clinic.Services.Signatures;
using Amrs.Core.Affect;
using Amrs.Core.Audit;
using Amrs.Core.Ethics;
using Amrs.Core.Security;
using Amrs.Data;
using Amrs.Data.Audit;
using Amrs.Data.Care;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Amrs.Clinic.Services.Preview;

/// <summary>The outcome of signing: the approval, or why not (nothing saved).</summary>
public sealed record ApprovalOutcome(PlaylistApprovalEntity? Approval, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Approval is not null;

    public static ApprovalOutcome Refused(params string[] errors) => new(null, errors);
}

/// <summary>The outcome of withdrawing an approval: the withdrawal, or why not (nothing saved).</summary>
public sealed record RevocationOutcome(ApprovalRevocationEntity? Revocation, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Revocation is not null;

    public static RevocationOutcome Refused(params string[] errors) => new(null, errors);
}

/// <summary>A signed decision on a playlist as the clinician sees it: the decision and, for an approval, its withdrawal if any.</summary>
public sealed record SignedDecision(PlaylistApprovalEntity Decision, ApprovalRevocationEntity? Revocation)
{
    /// <summary>Approved and not withdrawn.</summary>
    public bool Deliverable => Decision.Status == ApprovalStatus.Approved && Revocation is null;
}

/// <summary>
/// Electronic signatures on playlists (21 CFR 11.50, 11.70, 11.200): only a list previewed exactly, under the
/// current profile version and the bundle promoted for care, can be approved; the clinician enters the password
/// again and confirms the meaning; the record keeps the printed name, time, meaning and a hash binding patient,
/// profile version, model versions and track list. Approved records are never edited; a clinician withdraws one with
/// a signed record of its own (<see cref="RevokeAsync"/>).
/// </summary>
public sealed class PlaylistApprovals(
    CurrentUser currentUser,
    IDbContextFactory<ClinicDbContext> contexts,
    SignaturePassword signaturePassword,
    ICareEngine engine,
    AuditLog audit,
    IOptions<CareOptions> options,
    TimeProvider clock)
{
    public const string ApprovalMeaning = SignatureMeanings.Approval;

    /// <summary>
    /// Signs a previewed list for delivery. A bundle that can no longer be loaded refuses the signature with the reason
    /// (the list cannot be decoded again to check it); nothing is written.
    /// </summary>
    public async Task<ApprovalOutcome> ApproveAsync(Guid previewId, string password, bool meaningConfirmed, DateOnly scheduledFor,
        string? notes, CancellationToken cancellationToken = default)
    {
        try
        {
            return await SignAsync(previewId, password, meaningConfirmed, scheduledFor, notes, cancellationToken);
        }
        catch (ModelBundleUnavailableException e)
        {
            return ApprovalOutcome.Refused(e.Message);
        }
    }

    private async Task<ApprovalOutcome> SignAsync(Guid previewId, string password, bool meaningConfirmed, DateOnly scheduledFor,
        string? notes, CancellationToken cancellationToken)
    {
        var actor = await currentUser.RequireAsync(Policies.ClinicalWork);
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var preview = await db.Previews.AsNoTracking().FirstOrDefaultAsync(p => p.Id == previewId, cancellationToken);
        if (preview is null) return ApprovalOutcome.Refused("That preview does not exist; preview the list again.");
        // The same inputs as the preview (history before it was made), so decoding again must give the same list.
        var loaded = await CareContextLoader.LoadAsync(db, preview.PatientId, profileVersion: null, historyBefore: preview.CreatedAt, cancellationToken);
        PatientAccess.RequireTreat(actor, loaded?.Patient, preview.PatientId);
        if (await DecisionOnAsync(db, previewId, cancellationToken) is { } decided) return AlreadyDecided(decided);

        var errors = new List<string>();
        // An edit is signed by its author: the signature also records the authorship of the changed list.
        if (preview.Kind == PreviewKind.ClinicianEdit && preview.CreatedByUserId != actor.UserId)
            errors.Add($"This edit was made by {preview.CreatedByName}; only its author can sign it. Make the edit yourself and simulate it to sign.");
        if (!meaningConfirmed) errors.Add($"Confirm the meaning of the signature (\"{ApprovalMeaning}\").");
        if (string.IsNullOrEmpty(password)) errors.Add("Enter your password to sign.");
        if (scheduledFor < ClinicDay.Today(now, clock.LocalTimeZone)) errors.Add($"The scheduled date {scheduledFor:yyyy-MM-dd} is in the past.");
        if (notes is { Length: > 2000 }) errors.Add("Notes for care staff: at most 2,000 characters.");
        if (loaded!.Profile is null || loaded.Profile.Version != preview.ProfileVersion)
            errors.Add($"The patient's goals changed since this preview (version {preview.ProfileVersion}, now {loaded.Profile?.Version}): preview again.");
        var careBundle = await engine.CareBundleAsync(cancellationToken);
        if (preview.SimulationOnly || careBundle is null || careBundle.BundleId != preview.ModelBundleId)
            errors.Add("The models changed since this preview, or it was made with a bundle not promoted for care: preview again.");
        if (errors.Count > 0) return ApprovalOutcome.Refused([.. errors]);

        var check = await signaturePassword.CheckAsync(actor, password);
        if (!check.Succeeded)
        {
            await audit.AppendAsync(Draft(actor, now, AuditActions.PlaylistApproved, preview, AuditOutcome.Refused, new { reason = check.AuditReason }));
            return ApprovalOutcome.Refused(check.Refusal);
        }

        var profile = loaded.Context.Profile;
        var bound = new BoundPlaylist(Guid.NewGuid().ToString(), preview.PatientId, profile.Mode,
            ModeTargets.HasClinicianTarget(profile.Mode) ? profile.Target : null,
            preview.ProfileVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), careBundle!.ModelVersions, preview.TrackIds);
        var reproduced = await engine.ProposeAsync(preview.ModelBundleId, PolicyKind.Dpo, loaded.Context, cancellationToken);
        var provenance = Provenance(preview, careBundle, reproduced, actor, now);
        var tracks = await CareContextLoader.TracksAsync(db, preview.TrackIds, cancellationToken);
        var decision = EthicsGuard.CanApprove(loaded.Context.Patient, bound, provenance, tracks.Values.ToList());
        var guardDraft = new AuditDraft(now, actor.UserId, actor.FullName, actor.Role, decision.AuditAction, AuditEntityTypes.Playlist,
            preview.Id.ToString(), preview.PatientId, decision.AuditOutcome, decision.ToAuditDetails(GuardChecks.Approve));
        if (!decision.Allowed)
        {
            await audit.AppendAsync(guardDraft);
            return ApprovalOutcome.Refused(decision.Reason);
        }

        var scheduled = ClinicDay.StartOf(scheduledFor, clock.LocalTimeZone);
        var approval = new PlaylistApprovalEntity
        {
            Id = Guid.Parse(bound.PlaylistId),
            PreviewId = preview.Id,
            PatientId = preview.PatientId,
            ProfileId = preview.ProfileId,
            ProfileVersion = preview.ProfileVersion,
            Mode = profile.Mode,
            TargetValence = bound.Target?.Valence,
            TargetArousal = bound.Target?.Arousal,
            ModelBundleId = preview.ModelBundleId,
            ModelVersions = [.. careBundle.ModelVersions],
            TrackIds = [.. preview.TrackIds],
            Status = ApprovalStatus.Approved,
            SignerUserId = actor.UserId,
            SignerPrintedName = actor.FullName,
            SignerRole = actor.SigningRole,
            SignedAt = now,
            Meaning = ApprovalMeaning,
            ScheduledFor = scheduled,
            ValidUntil = scheduled.AddDays(options.Value.ApprovalValidityDays),
            BindingHash = ApprovalBinding.Compute(bound),
            Notes = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim(),
        };
        var (_, outcome) = await audit.RecordAsync(async change =>
        {
            // Checked again inside the write: another signature on this preview may have landed since the first look
            // (the unique index on the preview is the final guard; losing it retries here and finds the winner).
            if (await DecisionOnAsync(change, previewId, cancellationToken) is { } winner)
                return ((IReadOnlyList<AuditDraft>)[], AlreadyDecided(winner));
            change.PlaylistApprovals.Add(approval);
            var signed = Draft(actor, now, AuditActions.PlaylistApproved, preview, AuditOutcome.Success, new
            {
                playlistId = approval.Id, patientId = approval.PatientId, signerPrintedName = approval.SignerPrintedName,
                signerRole = approval.SignerRole, meaning = approval.Meaning, signedAt = approval.SignedAt,
                bindingHash = approval.BindingHash, profileVersion = approval.ProfileVersion, modelVersions = approval.ModelVersions,
                trackIds = approval.TrackIds, scheduledFor = approval.ScheduledFor, validUntil = approval.ValidUntil, kind = preview.Kind.ToString(),
            });
            return ((IReadOnlyList<AuditDraft>)[guardDraft, signed], new ApprovalOutcome(approval, []));
        }, cancellationToken);
        return outcome;
    }

    public async Task<ApprovalOutcome> RejectAsync(Guid previewId, string reason, CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.ClinicalWork);
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var preview = await db.Previews.AsNoTracking().FirstOrDefaultAsync(p => p.Id == previewId, cancellationToken);
        if (preview is null) return ApprovalOutcome.Refused("That preview does not exist.");
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.PatientId == preview.PatientId, cancellationToken);
        PatientAccess.RequireTreat(actor, patient, preview.PatientId);
        if (await DecisionOnAsync(db, previewId, cancellationToken) is { } decided) return AlreadyDecided(decided);
        if (string.IsNullOrWhiteSpace(reason)) return ApprovalOutcome.Refused("Give the reason for rejecting the list.");

        var rejection = new PlaylistApprovalEntity
        {
            Id = Guid.NewGuid(), PreviewId = preview.Id, PatientId = preview.PatientId, ProfileId = preview.ProfileId,
            ProfileVersion = preview.ProfileVersion, ModelBundleId = preview.ModelBundleId, TrackIds = [.. preview.TrackIds],
            Status = ApprovalStatus.Rejected, SignerUserId = actor.UserId, SignerPrintedName = actor.FullName, SignerRole = actor.SigningRole,
            SignedAt = now, Meaning = SignatureMeanings.Rejection, ScheduledFor = now, ValidUntil = now, BindingHash = new string('0', 64),
            RejectionReason = reason.Trim(),
        };
        var (_, outcome) = await audit.RecordAsync(async change =>
        {
            if (await DecisionOnAsync(change, previewId, cancellationToken) is { } winner)
                return ((IReadOnlyList<AuditDraft>)[], AlreadyDecided(winner));
            change.PlaylistApprovals.Add(rejection);
            return ((IReadOnlyList<AuditDraft>)[Draft(actor, now, AuditActions.PlaylistRejected, preview, AuditOutcome.Success,
                new { rejectionId = rejection.Id, reason = rejection.RejectionReason, trackIds = preview.TrackIds })], new ApprovalOutcome(rejection, []));
        }, cancellationToken);
        return outcome;
    }

    /// <summary>
    /// Withdraws an approved playlist so it can no longer be delivered (a session already running is not stopped:
    /// care staff stop it). Signed like the approval: password again and the meaning confirmed; a reason is
    /// required. The approval stays as it was signed; the withdrawal is a record of its own, audited with it.
    /// </summary>
    public async Task<RevocationOutcome> RevokeAsync(Guid approvalId, string password, bool meaningConfirmed, string reason,
        CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.ClinicalWork);
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var approval = await db.PlaylistApprovals.AsNoTracking().FirstOrDefaultAsync(a => a.Id == approvalId, cancellationToken);
        if (approval is null) return RevocationOutcome.Refused($"There is no playlist approval {approvalId}.");
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.PatientId == approval.PatientId, cancellationToken);
        PatientAccess.RequireTreat(actor, patient, approval.PatientId);
        if (approval.Status != ApprovalStatus.Approved)
            return RevocationOutcome.Refused("Only an approved playlist can be withdrawn; this one was rejected.");
        if (await RevocationOfAsync(db, approvalId, cancellationToken) is { } earlier) return AlreadyRevoked(earlier);

        var errors = new List<string>();
        if (!meaningConfirmed) errors.Add($"Confirm the meaning of the signature (\"{SignatureMeanings.Revocation}\").");
        if (string.IsNullOrEmpty(password)) errors.Add("Enter your password to sign.");
        if (string.IsNullOrWhiteSpace(reason)) errors.Add("Give the reason for withdrawing the list.");
        else if (reason.Trim().Length > 1000) errors.Add("The reason: at most 1,000 characters.");
        if (errors.Count > 0) return RevocationOutcome.Refused([.. errors]);

        var check = await signaturePassword.CheckAsync(actor, password);
        if (!check.Succeeded)
        {
            await audit.AppendAsync(RevocationDraft(actor, now, approval, AuditOutcome.Refused, new { reason = check.AuditReason }));
            return RevocationOutcome.Refused(check.Refusal);
        }

        var revocation = new ApprovalRevocationEntity
        {
            Id = Guid.NewGuid(), ApprovalId = approval.Id, PatientId = approval.PatientId, RevokedByUserId = actor.UserId,
            RevokedByPrintedName = actor.FullName, RevokedByRole = actor.SigningRole, RevokedAt = now,
            Meaning = SignatureMeanings.Revocation, Reason = reason.Trim(),
        };
        var (_, outcome) = await audit.RecordAsync(async change =>
        {
            if (await RevocationOfAsync(change, approvalId, cancellationToken) is { } winner)
                return ((IReadOnlyList<AuditDraft>)[], AlreadyRevoked(winner));
            change.ApprovalRevocations.Add(revocation);
            return ((IReadOnlyList<AuditDraft>)[RevocationDraft(actor, now, approval, AuditOutcome.Success, new
            {
                revocationId = revocation.Id, playlistId = approval.Id, patientId = approval.PatientId,
                signerPrintedName = revocation.RevokedByPrintedName, signerRole = revocation.RevokedByRole,
                meaning = revocation.Meaning, reason = revocation.Reason, revokedAt = revocation.RevokedAt,
            })], new RevocationOutcome(revocation, []));
        }, cancellationToken);
        return outcome;
    }

    /// <summary>The approvals and rejections of one patient, newest first, each with its withdrawal if it has one.</summary>
    public async Task<IReadOnlyList<SignedDecision>> ForPatientAsync(string patientId, CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.ClinicalView);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.PatientId == patientId, cancellationToken);
        PatientAccess.RequireView(actor, patient, patientId);
        var decisions = await db.PlaylistApprovals.AsNoTracking().Where(a => a.PatientId == patientId)
            .OrderByDescending(a => a.SignedAt).ToListAsync(cancellationToken);
        var revocations = await db.ApprovalRevocations.AsNoTracking().Where(r => r.PatientId == patientId)
            .ToDictionaryAsync(r => r.ApprovalId, cancellationToken);
        return decisions.Select(d => new SignedDecision(d, revocations.GetValueOrDefault(d.Id))).ToList();
    }

    /// <summary>
    /// Where the list came from, as the guard checks it: the recorded proposal and what decoding again with the
    /// same bundle and inputs gives now; for an edit, the clinician's signed authorship.
    /// </summary>
    internal static ProposalProvenance Provenance(PreviewEntity preview, BundleInfo bundle, Proposal reproduced, Actor signer, DateTimeOffset now) =>
        new(preview.PatientId, preview.PolicyVersion, bundle.Status,
            new DecodingSettings(preview.DecodingStrategy, preview.ExplorationRate),
            preview.ProposedTrackIds, reproduced.TrackIds,
            preview.Kind == PreviewKind.ClinicianEdit
                ? new ClinicianEdit(signer.UserId, signer.FullName, signer.SigningRole, now, SignatureMeanings.Authorship, preview.TrackIds)
                : null);

    private static Task<ApprovalRevocationEntity?> RevocationOfAsync(ClinicDbContext db, Guid approvalId, CancellationToken cancellationToken) =>
        db.ApprovalRevocations.AsNoTracking().FirstOrDefaultAsync(r => r.ApprovalId == approvalId, cancellationToken);

    private static RevocationOutcome AlreadyRevoked(ApprovalRevocationEntity earlier) => RevocationOutcome.Refused(
        $"This list was already withdrawn by {earlier.RevokedByPrintedName} on {earlier.RevokedAt:yyyy-MM-dd HH:mm} UTC.");

    private static AuditDraft RevocationDraft<T>(Actor actor, DateTimeOffset now, PlaylistApprovalEntity approval, AuditOutcome outcome, T details) where T : notnull =>
        new(now, actor.UserId, actor.FullName, actor.Role, AuditActions.ApprovalRevoked, AuditEntityTypes.Approval, approval.Id.ToString(),
            approval.PatientId, outcome, AuditDetails.Of(details));

    private static Task<PlaylistApprovalEntity?> DecisionOnAsync(ClinicDbContext db, Guid previewId, CancellationToken cancellationToken) =>
        db.PlaylistApprovals.AsNoTracking().FirstOrDefaultAsync(a => a.PreviewId == previewId, cancellationToken);

    /// <summary>A signed decision is never changed or signed over: a different decision needs a new preview.</summary>
    private static ApprovalOutcome AlreadyDecided(PlaylistApprovalEntity decided) => ApprovalOutcome.Refused(
        $"This preview was already {(decided.Status == ApprovalStatus.Rejected ? "rejected" : "approved")} by {decided.SignerPrintedName} " +
        $"on {decided.SignedAt:yyyy-MM-dd HH:mm} UTC; a signed decision is never changed. To change the list, preview it again and sign the new preview.");

    private static AuditDraft Draft<T>(Actor actor, DateTimeOffset now, string action, PreviewEntity preview, AuditOutcome outcome, T details) where T : notnull =>
        new(now, actor.UserId, actor.FullName, actor.Role, action, AuditEntityTypes.Approval, preview.Id.ToString(), preview.PatientId, outcome, AuditDetails.Of(details));
}
