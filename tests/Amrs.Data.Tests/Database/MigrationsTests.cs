using Amrs.Data.Database;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Amrs.Data.Tests.Database;

public sealed class MigrationsTests
{
    [Fact]
    public void Both_providers_have_the_same_migrations_in_the_same_order()
    {
        static IEnumerable<string> Names(string provider) =>
            Context(provider).Database.GetMigrations().Select(id => id[(id.IndexOf('_', StringComparison.Ordinal) + 1)..]);

        var sqlite = Names(DatabaseProvider.Sqlite).ToList();
        var sqlServer = Names(DatabaseProvider.SqlServer).ToList();

        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, sqlServer);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.SqlServer)]
    public void The_model_has_no_changes_missing_from_the_migrations(string provider)
    {
        using var db = Context(provider);

        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model changed without a migration for {provider}; add one to both migration projects (README, 'Adding a migration').");
    }

    [Fact]
    public async Task Migrating_an_empty_sqlite_database_creates_every_table()
    {
        var file = Path.Combine(Path.GetTempPath(), $"amrs-migrate-{Guid.NewGuid():N}.db");
        try
        {
            await using (var db = Context(DatabaseProvider.Sqlite, $"Data Source={file}"))
            {
                await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
                Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
                Assert.Equal(0, await db.Users.CountAsync(TestContext.Current.CancellationToken));
                Assert.Equal(0, await db.DataProtectionKeys.CountAsync(TestContext.Current.CancellationToken));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    [Fact]
    public void The_sql_server_script_is_idempotent_t_sql()
    {
        using var db = Context(DatabaseProvider.SqlServer);

        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("IF NOT EXISTS", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [AspNetUsers]", script, StringComparison.Ordinal);
    }

    internal static ClinicDbContext Context(string provider, string? connectionString = null)
    {
        var builder = new DbContextOptionsBuilder<ClinicDbContext>();
        DatabaseSetup.Configure(builder, new DatabaseOptions { Provider = provider },
            connectionString ?? (provider == DatabaseProvider.Sqlite ? "Data Source=:memory:" : "Server=(none);Database=AmrsClinic;Trusted_Connection=True;TrustServerCertificate=True"));
        return new ClinicDbContext(builder.Options);
    }
}
