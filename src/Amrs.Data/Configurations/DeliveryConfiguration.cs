using Amrs.Data.Care;
using Amrs.Data.Clinical;
using Amrs.Data.Delivery;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Amrs.Data.Configurations;

internal sealed class DeliverySessionConfiguration : IEntityTypeConfiguration<DeliverySessionEntity>
{
    public void Configure(EntityTypeBuilder<DeliverySessionEntity> builder)
    {
        builder.ToTable("DeliverySessions");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.StartedAt).AsUnixMilliseconds();
        builder.Property(d => d.EndedAt).AsUnixMilliseconds();
        builder.Property(d => d.AlertAcknowledgedAt).AsUnixMilliseconds();
        builder.Property(d => d.StartedByUserId).HasMaxLength(450);
        builder.Property(d => d.StartedByName).HasMaxLength(200);
        builder.Property(d => d.AlertAcknowledgedByUserId).HasMaxLength(450);
        builder.Property(d => d.StopReason).HasMaxLength(2000);
        builder.Property(d => d.Revision).IsConcurrencyToken();
        builder.HasOne<PlaylistApprovalEntity>().WithMany().HasForeignKey(d => d.ApprovalId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<PatientEntity>().WithMany().HasForeignKey(d => d.PatientId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(d => d.Observations).WithOne().HasForeignKey(o => o.DeliveryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => new { d.PatientId, d.Status });
        // At most one running session per approved playlist, enforced by the database.
        builder.HasIndex(d => d.ApprovalId).IsUnique().HasFilter("[Status] = 'Running'");
    }
}

internal sealed class DeliveryObservationConfiguration : IEntityTypeConfiguration<DeliveryObservationEntity>
{
    public void Configure(EntityTypeBuilder<DeliveryObservationEntity> builder)
    {
        builder.ToTable("DeliveryObservations");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(o => o.Engagement).HasConversion<string>().HasMaxLength(16);
        builder.Property(o => o.RecordedAt).AsUnixMilliseconds();
        builder.Property(o => o.RecordedByUserId).HasMaxLength(450);
        builder.Property(o => o.RecordedByName).HasMaxLength(200);
        builder.Property(o => o.Note).HasMaxLength(4000);
        // Corrections add versions; the database refuses two writers creating the same version.
        builder.HasIndex(o => new { o.DeliveryId, o.Kind, o.Position, o.Version }).IsUnique();
    }
}
