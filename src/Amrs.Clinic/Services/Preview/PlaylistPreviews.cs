using System.Text.Json;
using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Engine;
using Amrs.Clinic.Services.Patients;
using Amrs.Core.Audit;
using Amrs.Core.Catalog;
using Amrs.Core.Ethics;
using Amrs.Core.Security;
using Amrs.Core.Utility;
using Amrs.Data;
using Amrs.Data.Audit;
using Amrs.Data.Care;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Clinic.Services.Preview;

/// <summary>A previewed list and what the world model expects, beside the behaviour-cloning policy's list.</summary>
public sealed record PreviewResult(
    Guid PreviewId,
    PreviewKind Kind,
    BundleInfo Bundle,
    bool SimulationOnly,
    int ProfileVersion,
    UtilityProfile Profile,
    IReadOnlyList<Track> Tracks,
    PlaylistSimulation Simulation,
    IReadOnlyList<Track> ComparisonTracks,
    PlaylistSimulation ComparisonSimulation,
    IReadOnlyList<string> Warnings);

/// <summary>Either a preview, or why none was made (nothing recorded).</summary>
public sealed record PreviewOutcome(PreviewResult? Preview, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Preview is not null;

    public static PreviewOutcome Refused(params string[] errors) => new(null, errors);
}

/// <summary>
/// Previews: the promoted policy proposes a playlist for the patient's current profile (deterministically), or
/// the clinician edits one; the world model rolls it out. Every preview is recorded (and audited) with whether
/// its list is the model's own proposal or the clinician's edit of it.
/// </summary>
public sealed class PlaylistPreviews(
    CurrentUser currentUser,
    IDbContextFactory<ClinicDbContext> contexts,
    ICareEngine engine,
    AuditLog audit,
    TimeProvider clock)
{
    public const int DefaultTrajectories = 64;

    /// <summary>
    /// Previews the model's own proposal (<paramref name="editedTrackIds"/> null) or a clinician's edit of the proposal.
    /// A bundle that cannot be loaded refuses the preview with the reason; nothing is recorded until the preview is complete.
    /// </summary>
    public async Task<PreviewOutcome> PreviewAsync(string patientId, IReadOnlyList<string>? editedTrackIds = null, Guid? proposalPreviewId = null,
        string? bundleId = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await PreviewWithEngineAsync(patientId, editedTrackIds, proposalPreviewId, bundleId, cancellationToken);
        }
        catch (ModelBundleUnavailableException e)
        {
            return PreviewOutcome.Refused(e.Message);
        }
    }

    private async Task<PreviewOutcome> PreviewWithEngineAsync(string patientId, IReadOnlyList<string>? editedTrackIds, Guid? proposalPreviewId,
        string? bundleId, CancellationToken cancellationToken)
    {
        var actor = await currentUser.RequireAsync(Policies.ClinicalView);
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var loaded = await CareContextLoader.LoadAsync(db, patientId, profileVersion: null, historyBefore: now, cancellationToken);
        PatientAccess.RequireView(actor, loaded?.Patient, patientId);
        if (loaded!.Profile is null)
            return PreviewOutcome.Refused("Save the patient's goals (a profile version) before previewing: a preview is bound to a profile version.");

        var bundle = bundleId is null ? await engine.CareBundleAsync(cancellationToken) : await engine.BundleAsync(bundleId, cancellationToken);
        if (bundle is null)
            return PreviewOutcome.Refused(bundleId is null ? "No model bundle is promoted for care, so nothing can be proposed." : $"There is no model bundle {bundleId}.");

        // Both policies' proposals, then both rollouts, are asked for together, so the engine serves each pair as one batch.
        var proposing = engine.ProposeAsync(bundle.BundleId, PolicyKind.Dpo, loaded.Context, cancellationToken);
        var comparing = engine.ProposeAsync(bundle.BundleId, PolicyKind.BehaviourCloning, loaded.Context, cancellationToken);
        await Task.WhenAll(proposing, comparing);
        var (proposal, comparison) = (await proposing, await comparing);
        var kind = editedTrackIds is null ? PreviewKind.ModelProposal : PreviewKind.ClinicianEdit;
        var trackIds = editedTrackIds ?? proposal.TrackIds;
        var tracks = await CareContextLoader.TracksAsync(db, trackIds.Concat(proposal.TrackIds), cancellationToken);
        var errors = ValidateList(trackIds, tracks, loaded.Context);
        if (kind == PreviewKind.ClinicianEdit && proposalPreviewId is null)
            errors.Add("An edited list must name the proposal it was edited from.");
        else if (kind == PreviewKind.ClinicianEdit && !await db.Previews.AnyAsync(
                     p => p.Id == proposalPreviewId && p.PatientId == patientId && p.Kind == PreviewKind.ModelProposal, cancellationToken))
            errors.Add("The list was edited from something that is not a model proposal for this patient: ask the model for a proposal again.");
        if (errors.Count > 0) return PreviewOutcome.Refused([.. errors]);

        var comparisonTracks = await CareContextLoader.TracksAsync(db, comparison.TrackIds, cancellationToken);
        var simulating = engine.SimulateAsync(bundle.BundleId, loaded.Context, trackIds, DefaultTrajectories, cancellationToken);
        var simulatingComparison = engine.SimulateAsync(bundle.BundleId, loaded.Context, comparison.TrackIds, DefaultTrajectories, cancellationToken);
        await Task.WhenAll(simulating, simulatingComparison);
        var (simulation, comparisonSimulation) = (await simulating, await simulatingComparison);

        var warnings = ForecastWarnings.For(simulation, simulationOnly: !bundle.ServesCare);

        var preview = new PreviewEntity
        {
            Id = Guid.NewGuid(),
            PatientId = patientId,
            ProfileId = loaded.Profile.Id,
            ProfileVersion = loaded.Profile.Version,
            ModelBundleId = bundle.BundleId,
            PolicyVersion = proposal.PolicyVersion,
            Kind = kind,
            ProposalPreviewId = proposalPreviewId,
            DecodingStrategy = proposal.Decoding.Strategy,
            ExplorationRate = proposal.Decoding.ExplorationRate,
            ProposedTrackIds = [.. proposal.TrackIds],
            TrackIds = [.. trackIds],
            SimulationOnly = !bundle.ServesCare,
            ResultJson = JsonSerializer.Serialize(simulation),
            OutOfDistribution = simulation.OutOfDistribution,
            CreatedAt = now,
            CreatedByUserId = actor.UserId,
            CreatedByName = actor.FullName,
        };
        await audit.RecordAsync(async change =>
        {
            change.Previews.Add(preview);
            await Task.CompletedTask;
            var draft = new AuditDraft(now, actor.UserId, actor.FullName, actor.Role, AuditActions.PlaylistPreviewed,
                AuditEntityTypes.Playlist, preview.Id.ToString(), patientId, AuditOutcome.Success,
                AuditDetails.Of(new
                {
                    kind = kind.ToString(), bundle = bundle.BundleId, policy = proposal.PolicyVersion, profileVersion = preview.ProfileVersion,
                    trackIds, proposedTrackIds = proposal.TrackIds, simulationOnly = preview.SimulationOnly,
                    outOfDistribution = simulation.OutOfDistribution, predictedAttainment = simulation.PredictedAttainment,
                }));
            return ((IReadOnlyList<AuditDraft>)[draft], 0);
        }, cancellationToken);

        return new PreviewOutcome(new PreviewResult(preview.Id, kind, bundle, preview.SimulationOnly, preview.ProfileVersion, loaded.Context.Profile,
            trackIds.Select(id => tracks[id]).ToList(), simulation, comparison.TrackIds.Select(id => comparisonTracks[id]).ToList(),
            comparisonSimulation, warnings), []);
    }

    /// <summary>Searches the catalog for a track to swap in: title, artist or genre; only tracks the profile allows.</summary>
    public async Task<IReadOnlyList<Track>> SearchCatalogAsync(string patientId, string text, int limit = 20, CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.ClinicalView);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var loaded = await CareContextLoader.LoadAsync(db, patientId, null, clock.GetUtcNow(), cancellationToken);
        PatientAccess.RequireView(actor, loaded?.Patient, patientId);
        var query = text.Trim();
        if (query.Length == 0) return [];
        var matches = await db.Tracks.AsNoTracking()
            .Where(t => t.Title.Contains(query) || t.Artist.Contains(query) || (t.Genre != null && t.Genre.Contains(query)))
            .OrderBy(t => t.Title).Take(limit * 4).ToListAsync(cancellationToken);
        return matches.Select(t => t.ToDomain())
            .Where(t => TrackConstraints.IsAllowed(t, loaded!.Context.Patient, loaded.Context.Profile))
            .Take(limit).ToList();
    }

    private static List<string> ValidateList(IReadOnlyList<string> trackIds, Dictionary<string, Track> tracks, CareContext context)
    {
        var errors = new List<string>();
        if (trackIds.Count == 0) errors.Add("The playlist is empty: keep at least one track.");
        if (trackIds.Count > UtilityProfile.MaxPlaylistLength) errors.Add($"The playlist has {trackIds.Count} tracks; at most {UtilityProfile.MaxPlaylistLength}.");
        for (var i = 0; i < trackIds.Count; i++)
        {
            if (!tracks.TryGetValue(trackIds[i], out var track))
            {
                errors.Add($"Track {i + 1} ('{trackIds[i]}') is not in the catalog.");
                continue;
            }
            if (TrackConstraints.Violation(track, context.Patient, context.Profile) is { } violation)
                errors.Add($"Track {i + 1} ('{track.Title}') breaks a limit: {violation}.");
        }
        foreach (var repeat in trackIds.GroupBy(id => id).Where(g => g.Count() > 1))
            errors.Add($"Track '{repeat.Key}' appears {repeat.Count()} times; a playlist plays each track once.");
        return errors;
    }
}
