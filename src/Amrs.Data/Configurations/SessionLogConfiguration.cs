using Amrs.Data.Clinical;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Amrs.Data.Configurations;

internal sealed class SessionLogConfiguration : IEntityTypeConfiguration<SessionLogEntity>
{
    public void Configure(EntityTypeBuilder<SessionLogEntity> builder)
    {
        builder.ToTable("SessionLogs");
        builder.HasKey(s => s.SessionId);
        builder.Property(s => s.SessionId).HasMaxLength(64);
        builder.Property(s => s.StartedAt).AsUnixMilliseconds()
            .HasColumnName("StartedAtUnixMs");
        // Sessions stored before this column existed read as stored at the epoch: before any preview made since.
        builder.Property(s => s.RecordedAt).AsUnixMilliseconds()
            .HasColumnName("RecordedAtUnixMs");
        builder.Property(s => s.Mode).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Source).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<PatientEntity>().WithMany().HasForeignKey(s => s.PatientId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(s => s.Steps).WithOne().HasForeignKey(s => s.SessionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.PatientId, s.StartedAt });
    }
}

internal sealed class SessionStepConfiguration : IEntityTypeConfiguration<SessionStepEntity>
{
    public void Configure(EntityTypeBuilder<SessionStepEntity> builder)
    {
        builder.ToTable("SessionSteps");
        builder.HasKey(s => new { s.SessionId, s.Position });
        builder.Property(s => s.TrackId).HasMaxLength(64);
        builder.HasOne<TrackEntity>().WithMany().HasForeignKey(s => s.TrackId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => s.TrackId);
    }
}
