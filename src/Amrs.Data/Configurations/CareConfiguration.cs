using Amrs.Data.Care;
using Amrs.Data.Clinical;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Amrs.Data.Configurations;

internal sealed class UtilityProfileConfiguration : IEntityTypeConfiguration<UtilityProfileEntity>
{
    public void Configure(EntityTypeBuilder<UtilityProfileEntity> builder)
    {
        builder.ToTable("UtilityProfiles");
        builder.HasKey(p => p.Id);
        builder.HasIndex(p => new { p.PatientId, p.Version }).IsUnique(); // versions never fork
        builder.Property(p => p.Mode).HasConversion<string>().HasMaxLength(16);
        builder.PrimitiveCollection(p => p.ExcludedGenres);
        builder.Property(p => p.CreatedAt).AsUnixMilliseconds();
        builder.Property(p => p.CreatedByUserId).HasMaxLength(450);
        builder.Property(p => p.CreatedByName).HasMaxLength(200);
        builder.Property(p => p.Reason).HasMaxLength(1000);
        builder.HasOne<PatientEntity>().WithMany().HasForeignKey(p => p.PatientId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PreviewConfiguration : IEntityTypeConfiguration<PreviewEntity>
{
    public void Configure(EntityTypeBuilder<PreviewEntity> builder)
    {
        builder.ToTable("Previews");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.DecodingStrategy).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.ModelBundleId).HasMaxLength(128);
        builder.Property(p => p.PolicyVersion).HasMaxLength(128);
        builder.PrimitiveCollection(p => p.TrackIds);
        builder.PrimitiveCollection(p => p.ProposedTrackIds);
        builder.Property(p => p.CreatedAt).AsUnixMilliseconds();
        builder.Property(p => p.CreatedByUserId).HasMaxLength(450);
        builder.Property(p => p.CreatedByName).HasMaxLength(200);
        builder.HasOne<PatientEntity>().WithMany().HasForeignKey(p => p.PatientId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<UtilityProfileEntity>().WithMany().HasForeignKey(p => p.ProfileId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => new { p.PatientId, p.CreatedAt });
    }
}

internal sealed class PlaylistApprovalConfiguration : IEntityTypeConfiguration<PlaylistApprovalEntity>
{
    public void Configure(EntityTypeBuilder<PlaylistApprovalEntity> builder)
    {
        builder.ToTable("PlaylistApprovals");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Mode).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.ModelBundleId).HasMaxLength(128);
        builder.PrimitiveCollection(a => a.ModelVersions);
        builder.PrimitiveCollection(a => a.TrackIds);
        builder.Property(a => a.SignerUserId).HasMaxLength(450);
        builder.Property(a => a.SignerPrintedName).HasMaxLength(200);
        builder.Property(a => a.SignerRole).HasMaxLength(100);
        builder.Property(a => a.Meaning).HasMaxLength(100);
        builder.Property(a => a.BindingHash).HasMaxLength(64).IsFixedLength();
        builder.Property(a => a.RejectionReason).HasMaxLength(1000);
        builder.Property(a => a.Notes).HasMaxLength(2000);
        builder.Property(a => a.SignedAt).AsUnixMilliseconds();
        builder.Property(a => a.ScheduledFor).AsUnixMilliseconds();
        builder.Property(a => a.ValidUntil).AsUnixMilliseconds();
        builder.HasOne<PreviewEntity>().WithMany().HasForeignKey(a => a.PreviewId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<PatientEntity>().WithMany().HasForeignKey(a => a.PatientId).OnDelete(DeleteBehavior.Restrict);
        // One signed decision per preview: two clinicians (or two clicks) signing the same preview at once cannot both win.
        builder.HasIndex(a => a.PreviewId).IsUnique();
        builder.HasIndex(a => new { a.PatientId, a.Status });
        builder.HasIndex(a => new { a.Status, a.ScheduledFor });
    }
}

internal sealed class ApprovalRevocationConfiguration : IEntityTypeConfiguration<ApprovalRevocationEntity>
{
    public void Configure(EntityTypeBuilder<ApprovalRevocationEntity> builder)
    {
        builder.ToTable("ApprovalRevocations");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.RevokedByUserId).HasMaxLength(450);
        builder.Property(r => r.RevokedByPrintedName).HasMaxLength(200);
        builder.Property(r => r.RevokedByRole).HasMaxLength(100);
        builder.Property(r => r.Meaning).HasMaxLength(100);
        builder.Property(r => r.Reason).HasMaxLength(1000);
        builder.Property(r => r.RevokedAt).AsUnixMilliseconds();
        builder.HasOne<PlaylistApprovalEntity>().WithMany().HasForeignKey(r => r.ApprovalId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<PatientEntity>().WithMany().HasForeignKey(r => r.PatientId).OnDelete(DeleteBehavior.Restrict);
        // At most one withdrawal per approval.
        builder.HasIndex(r => r.ApprovalId).IsUnique();
    }
}
