using Microsoft.EntityFrameworkCore;

namespace Amrs.Data.Database;

/// <summary>
/// Turns <see cref="DatabaseOptions"/> into a provider configuration, refusing bad settings with a message that
/// names the setting and the allowed values. Migrations live in one assembly per provider.
/// </summary>
public static class DatabaseSetup
{
    public const string SqliteMigrationsAssembly = "Amrs.Migrations.Sqlite";
    public const string SqlServerMigrationsAssembly = "Amrs.Migrations.SqlServer";

    /// <summary>Validates the options and returns the connection string to use.</summary>
    public static string ResolveConnectionString(DatabaseOptions options)
    {
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                if (string.IsNullOrWhiteSpace(options.SqlitePath))
                    throw new ConfigurationException("Database:SqlitePath is empty. Give the SQLite file's location, for example \"{AppData}/amrs-clinic/clinic.db\".");
                var file = DataPaths.Resolve(options.SqlitePath);
                DataPaths.EnsureWritableFolderFor(file, "Database:SqlitePath");
                // A busy timeout lets two app processes share the file: a writer waits instead of failing at once.
                return $"Data Source={file};Default Timeout=30;Pooling=True";
            case DatabaseProvider.SqlServer:
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                    throw new ConfigurationException(
                        "Database:Provider is SqlServer but Database:ConnectionString is missing. " +
                        "Set it through the environment variable Database__ConnectionString (never in the repository).");
                return options.ConnectionString;
            default:
                throw new ConfigurationException(
                    $"Database:Provider is '{options.Provider}'; allowed values are {string.Join(" and ", DatabaseProvider.All)} (case-sensitive).");
        }
    }

    /// <summary>Configures <paramref name="builder"/> for the chosen provider, with its own migrations assembly.</summary>
    public static void Configure(DbContextOptionsBuilder builder, DatabaseOptions options, string connectionString)
    {
        if (options.Provider == DatabaseProvider.SqlServer)
            builder.UseSqlServer(connectionString, sql => sql.MigrationsAssembly(SqlServerMigrationsAssembly));
        else
            builder.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly));
    }
}
