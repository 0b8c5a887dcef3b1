using Amrs.Data;
using Amrs.Data.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Amrs.Benchmarks;

/// <summary>A context factory on a SQLite file, configured exactly as the clinic configures it.</summary>
internal static class ClinicDatabase
{
    public static DatabaseOptions Options(string file) => new() { Provider = DatabaseProvider.Sqlite, SqlitePath = Path.GetFullPath(file) };

    public static IDbContextFactory<ClinicDbContext> Factory(DatabaseOptions options)
    {
        var builder = new DbContextOptionsBuilder<ClinicDbContext>();
        DatabaseSetup.Configure(builder, options, DatabaseSetup.ResolveConnectionString(options));
        return new PooledDbContextFactory<ClinicDbContext>(builder.Options);
    }
}
