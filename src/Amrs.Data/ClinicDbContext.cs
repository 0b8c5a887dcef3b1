using Amrs.Core.Audit;
using Amrs.Data.Care;
using Amrs.Data.Clinical;
using Amrs.Data.Delivery;
using Amrs.Data.Governance;
using Amrs.Data.Identity;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Data;

/// <summary>
/// The clinic's database: Identity, data-protection keys (shared by every app instance) and the domain.
/// Each entity is configured by its own <see cref="IEntityTypeConfiguration{TEntity}"/> in Configurations/.
/// In Blazor Server, use one context per operation through <see cref="IDbContextFactory{TContext}"/>.
/// </summary>
public sealed class ClinicDbContext(DbContextOptions<ClinicDbContext> options)
    : IdentityDbContext<ClinicUser>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<TrackEntity> Tracks => Set<TrackEntity>();
    public DbSet<PatientEntity> Patients => Set<PatientEntity>();
    public DbSet<SessionLogEntity> SessionLogs => Set<SessionLogEntity>();
    public DbSet<SessionStepEntity> SessionSteps => Set<SessionStepEntity>();

    public DbSet<UtilityProfileEntity> UtilityProfiles => Set<UtilityProfileEntity>();
    public DbSet<PreviewEntity> Previews => Set<PreviewEntity>();
    public DbSet<PlaylistApprovalEntity> PlaylistApprovals => Set<PlaylistApprovalEntity>();
    public DbSet<ApprovalRevocationEntity> ApprovalRevocations => Set<ApprovalRevocationEntity>();
    public DbSet<DeliverySessionEntity> DeliverySessions => Set<DeliverySessionEntity>();
    public DbSet<DeliveryObservationEntity> DeliveryObservations => Set<DeliveryObservationEntity>();
    public DbSet<ModelBundleEntity> ModelBundles => Set<ModelBundleEntity>();
    public DbSet<TrainingJobEntity> TrainingJobs => Set<TrainingJobEntity>();

    /// <summary>Append-only: add entries through <see cref="Audit.AuditLog"/>; updates and deletions are refused.</summary>
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseAuditRewrites();
        RefuseSignedRecordRewrites();
        StampRecordedSessions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseAuditRewrites();
        RefuseSignedRecordRewrites();
        StampRecordedSessions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>Every session log gets the time it was stored (<see cref="SessionLogEntity.RecordedAt"/>), whoever writes it.</summary>
    private void StampRecordedSessions()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var added in ChangeTracker.Entries<SessionLogEntity>().Where(e => e.State == EntityState.Added))
            if (added.Entity.RecordedAt == default) added.Entity.RecordedAt = now;
    }

    /// <summary>The data layer's half of append-only (the database's triggers are the other half).</summary>
    private void RefuseAuditRewrites()
    {
        var rewritten = ChangeTracker.Entries<AuditEntry>()
            .FirstOrDefault(e => e.State is EntityState.Modified or EntityState.Deleted);
        if (rewritten is not null)
            throw new InvalidOperationException(
                $"The audit trail is append-only: entry {rewritten.Entity.Sequence} cannot be {(rewritten.State == EntityState.Deleted ? "deleted" : "changed")}.");
    }

    /// <summary>
    /// Previews, signed decisions and their withdrawals are records, never edited (21 CFR 11.10(e), 11.70): a
    /// change means a new preview and a new signature.
    /// </summary>
    private void RefuseSignedRecordRewrites()
    {
        if (ChangeTracker.Entries<PlaylistApprovalEntity>().FirstOrDefault(e => e.State is EntityState.Modified or EntityState.Deleted) is { } approval)
            throw new InvalidOperationException(
                $"Signed playlist decision {approval.Entity.Id} cannot be {(approval.State == EntityState.Deleted ? "deleted" : "changed")}: preview again and sign a new one.");
        if (ChangeTracker.Entries<ApprovalRevocationEntity>().FirstOrDefault(e => e.State is EntityState.Modified or EntityState.Deleted) is { } revocation)
            throw new InvalidOperationException(
                $"The withdrawal {revocation.Entity.Id} of approval {revocation.Entity.ApprovalId} cannot be {(revocation.State == EntityState.Deleted ? "deleted" : "changed")}: it is a signed record.");
        if (ChangeTracker.Entries<PreviewEntity>().FirstOrDefault(e => e.State is EntityState.Modified or EntityState.Deleted) is { } preview)
            throw new InvalidOperationException(
                $"Preview {preview.Entity.Id} cannot be {(preview.State == EntityState.Deleted ? "deleted" : "changed")}: it is the record of what was shown.");
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ClinicDbContext).Assembly);
    }
}
