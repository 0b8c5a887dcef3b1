using Amrs.Data.Clinical;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Amrs.Data.Configurations;

internal sealed class TrackConfiguration : IEntityTypeConfiguration<TrackEntity>
{
    public void Configure(EntityTypeBuilder<TrackEntity> builder)
    {
        builder.ToTable("Tracks");
        builder.HasKey(t => t.TrackId);
        builder.Property(t => t.TrackId).HasMaxLength(64);
        builder.Property(t => t.Title).HasMaxLength(400).IsRequired();
        builder.Property(t => t.Artist).HasMaxLength(400).IsRequired();
        builder.Property(t => t.Genre).HasMaxLength(64);
        builder.HasIndex(t => t.Genre);
        builder.HasIndex(t => t.Title);
    }
}
