using Amrs.Data.Clinical;
using Amrs.Data.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Amrs.Data.Configurations;

internal sealed class PatientConfiguration : IEntityTypeConfiguration<PatientEntity>
{
    public void Configure(EntityTypeBuilder<PatientEntity> builder)
    {
        builder.ToTable("Patients");
        builder.HasKey(p => p.PatientId);
        builder.Property(p => p.PatientId).HasMaxLength(64);
        builder.Property(p => p.CareSetting).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.CognitiveStage).HasConversion<string>().HasMaxLength(16);
        builder.PrimitiveCollection(p => p.PreferredGenres);
        builder.PrimitiveCollection(p => p.ExcludedGenres);
        builder.Property(p => p.CareUnit).HasMaxLength(100);
        builder.HasOne<ClinicUser>().WithMany().HasForeignKey(p => p.ClinicianUserId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(p => p.CareUnit);
    }
}
