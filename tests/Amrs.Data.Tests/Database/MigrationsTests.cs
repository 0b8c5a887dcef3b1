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
    public async Task An_upgrade_the_stored_decisions_would_break_stops_before_any_change_and_names_the_preview()
    {
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(Path.GetTempPath(), $"amrs-preflight-{Guid.NewGuid():N}.db");
        var options = new DatabaseOptions { Provider = DatabaseProvider.Sqlite };
        try
        {
            await using var db = Context(DatabaseProvider.Sqlite, $"Data Source={file}");
            var beforeOneDecisionRule = db.Database.GetMigrations().Last(id => id.EndsWith("_ModelGovernance", StringComparison.Ordinal));
            await db.GetService<IMigrator>().MigrateAsync(beforeOneDecisionRule, ct);
            // The race an earlier version allowed: an approval and a rejection of one preview.
            var preview = Guid.NewGuid();
            await InsertDecisionsAsync(file, preview, "Approved", "Rejected");

            var refused = await Assert.ThrowsAsync<ConfigurationException>(() => DatabaseInitializer.MigrateAsync(db, options, ct));

            Assert.Contains(preview.ToString().ToUpperInvariant(), refused.Message.ToUpperInvariant(), StringComparison.Ordinal);
            Assert.Contains("Nothing was changed", refused.Message, StringComparison.Ordinal);
            Assert.Contains(await db.Database.GetPendingMigrationsAsync(ct), id => id.EndsWith("_ApprovalRevocations", StringComparison.Ordinal));

            // Once a person has removed the decision that does not stand, the upgrade goes through.
            await ExecuteAsync(file, "DELETE FROM PlaylistApprovals WHERE Status = 'Rejected'");
            await DatabaseInitializer.MigrateAsync(db, options, ct);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync(ct));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    private static async Task InsertDecisionsAsync(string file, Guid preview, params string[] statuses)
    {
        foreach (var status in statuses)
        {
            await ExecuteAsync(file, $"""
                INSERT INTO PlaylistApprovals (Id, PreviewId, PatientId, ProfileId, ProfileVersion, Mode, ModelBundleId,
                    ModelVersions, TrackIds, Status, SignerUserId, SignerPrintedName, SignerRole, SignedAt, Meaning,
                    ScheduledFor, ValidUntil, BindingHash)
                VALUES ('{Guid.NewGuid().ToString().ToUpperInvariant()}', '{preview.ToString().ToUpperInvariant()}', 'P-001', 1, 1,
                    'Calm', 'b', '{"{}"}', '[]', '{status}', 'u', 'Dr A', 'Clinician', 0, 'm', 0, 0, '{new string('0', 64)}')
                """, foreignKeys: false);
        }
    }

    private static async Task ExecuteAsync(string file, string sql, bool foreignKeys = true)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Foreign Keys={foreignKeys}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
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
