using Amrs.Data;
using Amrs.Data.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Amrs.Migrations.SqlServer;

/// <summary>
/// Lets <c>dotnet ef</c> build the context for SQL Server without a server: adding a migration or scripting it
/// never connects. <c>dotnet ef migrations add NAME --project migrations/Amrs.Migrations.SqlServer</c>.
/// </summary>
public sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<ClinicDbContext>
{
    public ClinicDbContext CreateDbContext(string[] args)
    {
        var options = new DatabaseOptions { Provider = DatabaseProvider.SqlServer };
        var builder = new DbContextOptionsBuilder<ClinicDbContext>();
        DatabaseSetup.Configure(builder, options, "Server=(design-time);Database=AmrsClinic;Trusted_Connection=True;TrustServerCertificate=True");
        return new ClinicDbContext(builder.Options);
    }
}
