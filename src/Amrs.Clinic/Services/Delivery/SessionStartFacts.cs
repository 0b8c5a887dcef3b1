using Amrs.Clinic.Services.Engine;
using Amrs.Clinic.Services.Preview;
using Amrs.Core.Catalog;
using Amrs.Core.Ethics;
using Amrs.Core.Security;
using Amrs.Core.Sessions;
using Amrs.Data;
using Amrs.Data.Care;
using Amrs.Data.Clinical;
using Amrs.Data.Delivery;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Clinic.Services.Delivery;

/// <summary>
/// Gathers what the ethics guard needs at the moment of delivery: the patient now, the approved playlist and its
/// signed record (marked revoked if a clinician withdrew it), the catalog entries, the version of the patient's goals
/// now, any stop for distress not yet reviewed, and the provenance re-decoded now. The proposal is decoded again with
/// the bundle and policy recorded on the preview and the same inputs it was made with: the patient's logged history
/// as it stood when the preview was made (sessions started and stored before it) and the profile version it names. The
/// guard then compares the list the model gives now with the list that was recorded, instead of trusting it.
/// </summary>
public sealed class SessionStartFacts(ICareEngine engine, ILogger<SessionStartFacts> logger)
{
    public async Task<SessionStartRequest> GatherAsync(
        ClinicDbContext db, PlaylistApprovalEntity approval, PatientEntity patient, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var preview = await db.Previews.AsNoTracking().FirstAsync(p => p.Id == approval.PreviewId, cancellationToken);
        var tracks = await db.Tracks.AsNoTracking()
            .Where(t => approval.TrackIds.Contains(t.TrackId))
            .ToListAsync(cancellationToken);
        var provenance = await ProvenanceAsync(db, preview, patient, cancellationToken);
        var currentGoals = await CareContextLoader.CurrentProfileVersionAsync(db, patient.PatientId, cancellationToken);
        var withdrawn = await db.ApprovalRevocations.AsNoTracking().AnyAsync(r => r.ApprovalId == approval.Id, cancellationToken);
        var distress = await db.DeliverySessions.AsNoTracking()
            .WithOpenAlert().Where(d => d.PatientId == patient.PatientId)
            .OrderByDescending(d => d.EndedAt)
            .Select(d => new { d.EndedAt, d.StartedAt, d.StopReason })
            .FirstOrDefaultAsync(cancellationToken);
        var record = approval.ToApprovalRecord();
        return new SessionStartRequest(
            patient.ToDomain(),
            approval.ToBoundPlaylist(),
            withdrawn ? record with { Status = ApprovalStatus.Revoked } : record,
            provenance,
            tracks.Select(t => t.ToDomain()).ToList<Track>(),
            now,
            currentGoals?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            distress is null ? null : new DistressStop(distress.EndedAt ?? distress.StartedAt, distress.StopReason ?? "no reason given"));
    }

    private async Task<ProposalProvenance> ProvenanceAsync(
        ClinicDbContext db, PreviewEntity preview, PatientEntity patient, CancellationToken cancellationToken)
    {
        var bundle = await engine.BundleAsync(preview.ModelBundleId, cancellationToken);
        // A bundle the registry no longer knows cannot serve care: it counts as retired.
        var status = bundle?.Status ?? ModelCareStatus.Retired;
        var reproduced = bundle is null ? [] : await ReproduceAsync(db, bundle, preview, patient, cancellationToken);

        // Only an edit's own author may sign it (PlaylistApprovals), and only clinicians sign, so a signed edit's author is a clinician.
        var edit = preview.Kind == PreviewKind.ClinicianEdit
            ? new ClinicianEdit(preview.CreatedByUserId, preview.CreatedByName, Roles.Clinician, preview.CreatedAt,
                SignatureMeanings.Authorship, preview.TrackIds)
            : null;
        return new ProposalProvenance(
            preview.PatientId,
            preview.PolicyVersion,
            status,
            new DecodingSettings(preview.DecodingStrategy, preview.ExplorationRate),
            preview.ProposedTrackIds,
            reproduced,
            edit);
    }

    private async Task<IReadOnlyList<string>> ReproduceAsync(
        ClinicDbContext db, BundleInfo bundle, PreviewEntity preview, PatientEntity patient, CancellationToken cancellationToken)
    {
        PolicyKind? policy = preview.PolicyVersion == bundle.DpoPolicyVersion ? PolicyKind.Dpo
            : preview.PolicyVersion == bundle.BcPolicyVersion ? PolicyKind.BehaviourCloning
            : null;
        if (policy is null) return [];

        var profile = await db.UtilityProfiles.AsNoTracking().FirstOrDefaultAsync(p => p.Id == preview.ProfileId, cancellationToken);
        if (profile is null) return [];
        // The inputs of the original proposal: the same history definition the preview used.
        var history = await CareContextLoader.HistoryBeforeAsync(db, patient.PatientId, preview.CreatedAt, cancellationToken);
        try
        {
            var proposal = await engine.ProposeAsync(bundle.BundleId, policy.Value,
                new CareContext(patient.ToDomain(), history, profile.ToDomain()), cancellationToken);
            return proposal.TrackIds;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The guard refuses an unreproducible proposal and says so; the cause goes to the log.
            logger.LogWarning(e, "Decoding preview {PreviewId} again with bundle {BundleId} failed.", preview.Id, bundle.BundleId);
            return [];
        }
    }

}
