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

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ClinicDbContext).Assembly);
    }
}
