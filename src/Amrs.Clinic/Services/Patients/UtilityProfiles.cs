using Amrs.Clinic.Security;
using Amrs.Core.Audit;
using Amrs.Core.Security;
using Amrs.Core.Utility;
using Amrs.Data;
using Amrs.Data.Audit;
using Amrs.Data.Care;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Clinic.Services.Patients;

/// <summary>A saved version of a profile with who, when and why.</summary>
public sealed record ProfileVersion(long Id, int Version, UtilityProfile Profile, DateTimeOffset CreatedAt, string CreatedBy, string Reason, int? RestoredFrom);

/// <summary>The outcome of saving: the new version, or what is wrong (nothing saved).</summary>
public sealed record ProfileSaveResult(ProfileVersion? Saved, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Saved is not null;
}

/// <summary>
/// Each patient's utility profile, versioned: saving creates a new version with who, when and why; earlier
/// versions can be viewed and restored (as a new version). A patient without a saved profile has the default
/// for their care setting (version 0, not stored until first saved).
/// </summary>
public sealed class UtilityProfiles(CurrentUser currentUser, IDbContextFactory<ClinicDbContext> contexts, AuditLog audit, TimeProvider clock)
{
    public async Task<ProfileVersion> CurrentAsync(string patientId, CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.ClinicalView);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.PatientId == patientId, cancellationToken);
        PatientAccess.RequireView(actor, patient, patientId);
        var latest = await db.UtilityProfiles.AsNoTracking().Where(p => p.PatientId == patientId)
            .OrderByDescending(p => p.Version).FirstOrDefaultAsync(cancellationToken);
        return latest is null
            ? new ProfileVersion(0, 0, UtilityProfile.DefaultFor(patient!.ToDomain()), DateTimeOffset.MinValue, "default", "Default for the care setting", null)
            : ToVersion(latest);
    }

    public async Task<IReadOnlyList<ProfileVersion>> VersionsAsync(string patientId, CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.ClinicalView);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.PatientId == patientId, cancellationToken);
        PatientAccess.RequireView(actor, patient, patientId);
        var versions = await db.UtilityProfiles.AsNoTracking().Where(p => p.PatientId == patientId)
            .OrderByDescending(p => p.Version).ToListAsync(cancellationToken);
        return versions.Select(ToVersion).ToList();
    }

    /// <summary>Saves <paramref name="profile"/> as the next version; refuses invalid values with reasons, saving nothing.</summary>
    public Task<ProfileSaveResult> SaveAsync(string patientId, UtilityProfile profile, string reason, CancellationToken cancellationToken = default) =>
        SaveVersionAsync(patientId, profile, reason, restoredFrom: null, cancellationToken);

    /// <summary>Restores an earlier version as a new version.</summary>
    public async Task<ProfileSaveResult> RestoreAsync(string patientId, int version, string reason, CancellationToken cancellationToken = default)
    {
        var old = (await VersionsAsync(patientId, cancellationToken)).FirstOrDefault(v => v.Version == version);
        return old is null
            ? new ProfileSaveResult(null, [$"Version {version} does not exist for {patientId}."])
            : await SaveVersionAsync(patientId, old.Profile, reason, version, cancellationToken);
    }

    private async Task<ProfileSaveResult> SaveVersionAsync(string patientId, UtilityProfile profile, string reason, int? restoredFrom, CancellationToken cancellationToken)
    {
        var actor = await currentUser.RequireAsync(Policies.ClinicalWork);
        var errors = profile.Validate().ToList();
        if (string.IsNullOrWhiteSpace(reason)) errors.Add("Reason: say why the profile changes (it is kept with the version).");
        else if (reason.Length > 1000) errors.Add("Reason: at most 1,000 characters.");
        if (errors.Count > 0) return new ProfileSaveResult(null, errors);

        var (_, saved) = await audit.RecordAsync(async db =>
        {
            var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.PatientId == patientId, cancellationToken);
            PatientAccess.RequireTreat(actor, patient, patientId);
            var next = (await db.UtilityProfiles.Where(p => p.PatientId == patientId).MaxAsync(p => (int?)p.Version, cancellationToken) ?? 0) + 1;
            var entity = new UtilityProfileEntity
            {
                PatientId = patientId,
                Version = next,
                CreatedAt = clock.GetUtcNow(),
                CreatedByUserId = actor.UserId,
                CreatedByName = actor.FullName,
                Reason = reason.Trim(),
                RestoredFromVersion = restoredFrom,
            };
            entity.SetFrom(profile);
            db.UtilityProfiles.Add(entity);
            var draft = new AuditDraft(clock.GetUtcNow(), actor.UserId, actor.FullName, actor.Role, AuditActions.ProfileSaved,
                AuditEntityTypes.UtilityProfile, $"{patientId}/v{next}", patientId, AuditOutcome.Success,
                AuditDetails.Of(new { version = next, restoredFrom, reason = entity.Reason, mode = profile.Mode.ToString(),
                    target = new { profile.Target.Valence, profile.Target.Arousal }, weights = profile.Weights.ToArray(),
                    profile.FollowIsoPath, profile.MaxArousal, excludedGenres = profile.ExcludedGenresOrEmpty, profile.PlaylistLength }));
            return ((IReadOnlyList<AuditDraft>)[draft], entity);
        }, cancellationToken);
        return new ProfileSaveResult(ToVersion(saved), []);
    }

    private static ProfileVersion ToVersion(UtilityProfileEntity e) =>
        new(e.Id, e.Version, e.ToDomain(), e.CreatedAt, e.CreatedByName, e.Reason, e.RestoredFromVersion);
}
