using Amrs.Data.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Amrs.Data.Database;

/// <summary>
/// Brings the database to the current schema with real migrations (never EnsureCreated), then seeds the roles
/// and, where allowed, the demo accounts.
/// </summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<ClinicDbContext> contexts,
    DatabaseOptions database,
    IdentitySeeder seeder,
    IOptions<DemoOptions> demo,
    IHostEnvironment environment,
    ILogger<DatabaseInitializer> logger)
{
    /// <summary>Whether demo accounts are on: explicitly by setting, otherwise only in Development.</summary>
    public static bool DemoAccountsEnabled(DemoOptions demo, IHostEnvironment environment) =>
        demo.Accounts ?? environment.IsDevelopment();

    /// <summary>
    /// Applies the migrations that are missing (and, for SQLite, turns on WAL), after checking that the stored data
    /// can take them (<see cref="MigrationPreflight"/>).
    /// </summary>
    public static async Task MigrateAsync(ClinicDbContext db, DatabaseOptions database, CancellationToken cancellationToken = default)
    {
        await MigrationPreflight.CheckAsync(db, cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers proceed while one process writes: two app instances can share the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            await MigrateAsync(db, database, cancellationToken);

        await seeder.SeedRolesAsync();
        if (DemoAccountsEnabled(demo.Value, environment))
        {
            var created = await seeder.SeedDemoAccountsAsync(demo.Value.Password);
            logger.LogWarning(
                "DEMO ACCOUNTS ARE ENABLED ({Created} created now). Anyone who knows the demo password can sign in. " +
                "Turn them off outside demonstrations with Demo:Accounts=false.", created);
        }
    }
}
