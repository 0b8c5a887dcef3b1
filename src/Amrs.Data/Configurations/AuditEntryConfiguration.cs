using Amrs.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Amrs.Data.Configurations;

/// <summary>
/// The audit trail: one row per sealed <see cref="AuditEntry"/>, keyed by its sequence number (unique, so two
/// writers can never fork the chain). Time is stored as UTC milliseconds, exactly what the hash covers.
/// </summary>
internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).ValueGeneratedNever();
        builder.Property(e => e.RecordedAt).AsUnixMilliseconds()
            .HasColumnName("RecordedAtUnixMs");
        builder.Property(e => e.ActorId).HasMaxLength(450).IsRequired();
        builder.Property(e => e.ActorName).HasMaxLength(200).IsRequired();
        builder.Property(e => e.ActorRole).HasMaxLength(100).IsRequired();
        builder.Property(e => e.Action).HasMaxLength(64).IsRequired();
        builder.Property(e => e.EntityType).HasMaxLength(64).IsRequired();
        builder.Property(e => e.EntityId).HasMaxLength(200).IsRequired();
        builder.Property(e => e.PatientId).HasMaxLength(64);
        builder.Property(e => e.Outcome).HasConversion<string>().HasMaxLength(16).IsRequired();
        builder.Property(e => e.Details).IsRequired();
        builder.Property(e => e.PreviousHash).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Property(e => e.Hash).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Ignore(e => e.Head);
        builder.Ignore(e => e.RecordedAtUnixMilliseconds);

        builder.HasIndex(e => e.RecordedAt);
        builder.HasIndex(e => e.Action);
        builder.HasIndex(e => e.ActorId);
        builder.HasIndex(e => e.PatientId);
    }
}
