using Amrs.Data;
using Amrs.Data.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Amrs.Migrations.Sqlite;

/// <summary>
/// Lets <c>dotnet ef</c> build the context for SQLite without starting the clinic:
/// <c>dotnet ef migrations add NAME --project migrations/Amrs.Migrations.Sqlite</c>.
/// </summary>
public sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<ClinicDbContext>
{
    public ClinicDbContext CreateDbContext(string[] args)
    {
        var options = new DatabaseOptions { Provider = DatabaseProvider.Sqlite };
        var builder = new DbContextOptionsBuilder<ClinicDbContext>();
        DatabaseSetup.Configure(builder, options, "Data Source=design-time.db");
        return new ClinicDbContext(builder.Options);
    }
}
