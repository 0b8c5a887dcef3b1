using Amrs.Data.Governance;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Amrs.Data.Configurations;

internal sealed class ModelBundleConfiguration : IEntityTypeConfiguration<ModelBundleEntity>
{
    public void Configure(EntityTypeBuilder<ModelBundleEntity> builder)
    {
        builder.ToTable("ModelBundles");
        builder.HasKey(b => b.BundleId);
        builder.Property(b => b.BundleId).HasMaxLength(128);
        builder.Property(b => b.Status).HasConversion<string>().HasMaxLength(24);
        builder.Property(b => b.StatusBeforeProposal).HasConversion<string>().HasMaxLength(24);
        builder.Property(b => b.Location).HasMaxLength(1000);
        builder.Property(b => b.DataFingerprint).HasMaxLength(64);
        builder.Property(b => b.RegisteredAt).AsUnixMilliseconds();
        builder.Property(b => b.ProposedAt).AsUnixMilliseconds();
        builder.Property(b => b.PromotedAt).AsUnixMilliseconds();
        builder.Property(b => b.RetiredAt).AsUnixMilliseconds();
        builder.Property(b => b.ProposedByUserId).HasMaxLength(450);
        builder.Property(b => b.ProposedByName).HasMaxLength(200);
        builder.Property(b => b.PromotedByUserId).HasMaxLength(450);
        builder.Property(b => b.PromotedByName).HasMaxLength(200);
        builder.Property(b => b.PromotionMeaning).HasMaxLength(100);
        builder.HasIndex(b => b.Status);
    }
}

internal sealed class TrainingJobConfiguration : IEntityTypeConfiguration<TrainingJobEntity>
{
    public void Configure(EntityTypeBuilder<TrainingJobEntity> builder)
    {
        builder.ToTable("TrainingJobs");
        builder.HasKey(j => j.Id);
        builder.Property(j => j.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(j => j.CreatedAt).AsUnixMilliseconds();
        builder.Property(j => j.StartedAt).AsUnixMilliseconds();
        builder.Property(j => j.FinishedAt).AsUnixMilliseconds();
        builder.Property(j => j.StartedByUserId).HasMaxLength(450);
        builder.Property(j => j.StartedByName).HasMaxLength(200);
        builder.Property(j => j.Stage).HasMaxLength(100);
        builder.Property(j => j.Message).HasMaxLength(2000);
        builder.Property(j => j.ResultBundleId).HasMaxLength(128);
        // One job at a time, enforced by the database: only one row may be queued or running.
        builder.Property<bool>("IsActive").HasComputedColumnSql("CASE WHEN [Status] IN ('Queued', 'Running') THEN 1 ELSE 0 END", stored: true);
        builder.HasIndex("IsActive").IsUnique().HasFilter("[IsActive] = 1");
    }
}
