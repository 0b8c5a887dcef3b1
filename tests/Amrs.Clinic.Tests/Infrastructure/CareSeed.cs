using Amrs.Core.Affect;
using Amrs.Core.Ethics;
using Amrs.Core.Security;
using Amrs.Core.Utility;
using Amrs.Data;
using Amrs.Data.Care;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Infrastructure;

/// <summary>How to make the approved playlist; the defaults give one the guard allows now.</summary>
public sealed record PlaylistSeed
{
    public string BundleId { get; init; } = FakeCareEngine.CareBundleId;
    public ApprovalStatus Status { get; init; } = ApprovalStatus.Approved;
    public TimeSpan ScheduledFromNow { get; init; } = TimeSpan.Zero;
    public TimeSpan ValidFor { get; init; } = TimeSpan.FromHours(8);

    /// <summary>Change the list after the clinician signed it (the binding no longer matches).</summary>
    public bool ChangedAfterSigning { get; init; }

    public string? Notes { get; init; } = "Calm voice; she likes to hold the tablet.";
}

/// <summary>
/// Writes what the approval workflow writes, through the data layer: a utility profile version, the recorded
/// preview of the model's proposal and the clinician's signed approval bound to it with <see cref="ApprovalBinding"/>.
/// Shared with the end-to-end tests (linked).
/// </summary>
public static class CareSeed
{
    public static async Task<Guid> AddApprovedPlaylistAsync(IServiceProvider services, FakeCareEngine engine, string patientId,
        string clinicianUserId, string clinicianName, PlaylistSeed? seed = null)
    {
        seed ??= new PlaylistSeed();
        await using var scope = services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        var bundle = await engine.BundleAsync(seed.BundleId) ?? throw new InvalidOperationException($"The fake engine has no bundle {seed.BundleId}.");

        var version = (await db.UtilityProfiles.Where(p => p.PatientId == patientId).MaxAsync(p => (int?)p.Version) ?? 0) + 1;
        var profile = new UtilityProfileEntity
        {
            PatientId = patientId, Version = version, CreatedAt = now.AddHours(-2), CreatedByUserId = clinicianUserId,
            CreatedByName = clinicianName, Reason = "Goals for the test",
        };
        profile.SetFrom(UtilityProfile.DefaultFor(SessionMode.Clinical));
        db.UtilityProfiles.Add(profile);
        await db.SaveChangesAsync();

        var proposed = engine.ProposalFor(patientId).ToList();
        var preview = new PreviewEntity
        {
            Id = Guid.NewGuid(), PatientId = patientId, ProfileId = profile.Id, ProfileVersion = version, ModelBundleId = bundle.BundleId,
            PolicyVersion = bundle.DpoPolicyVersion, Kind = PreviewKind.ModelProposal, DecodingStrategy = DecodingStrategy.Greedy,
            ProposedTrackIds = proposed, TrackIds = proposed, ResultJson = "{}", CreatedAt = now.AddHours(-1),
            CreatedByUserId = clinicianUserId, CreatedByName = clinicianName,
        };
        db.Previews.Add(preview);

        var approval = new PlaylistApprovalEntity
        {
            Id = Guid.NewGuid(), PreviewId = preview.Id, PatientId = patientId, ProfileId = profile.Id, ProfileVersion = version,
            Mode = SessionMode.Clinical, TargetValence = profile.TargetValence, TargetArousal = profile.TargetArousal,
            ModelBundleId = bundle.BundleId, ModelVersions = [.. bundle.ModelVersions], TrackIds = [.. proposed], Status = seed.Status,
            SignerUserId = clinicianUserId, SignerPrintedName = clinicianName, SignerRole = Roles.Clinician,
            SignedAt = now.AddMinutes(-30), Meaning = SignatureMeanings.Approval,
            ScheduledFor = now + seed.ScheduledFromNow, ValidUntil = now + seed.ScheduledFromNow + seed.ValidFor,
            BindingHash = "", Notes = seed.Notes,
        };
        approval.BindingHash = approval.ToBoundPlaylist().ComputeBinding();
        if (seed.ChangedAfterSigning) approval.TrackIds = [.. proposed.AsEnumerable().Reverse()];
        db.PlaylistApprovals.Add(approval);
        await db.SaveChangesAsync();
        return approval.Id;
    }
}
