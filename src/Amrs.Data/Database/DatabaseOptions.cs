namespace Amrs.Data.Database;

/// <summary>The <c>Database</c> section of appsettings.json.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>Sqlite</c> (embedded default) or <c>SqlServer</c> (production).</summary>
    public string Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// The SQLite file. Relative paths and the <c>{AppData}</c> token resolve the same way for the clinic and the
    /// command line, so both use one file by default.
    /// </summary>
    public string SqlitePath { get; set; } = "{AppData}/amrs-clinic/clinic.db";

    /// <summary>SQL Server connection string; set it through the environment (Database__ConnectionString), never in the repository.</summary>
    public string? ConnectionString { get; set; }
}

public static class DatabaseProvider
{
    public const string Sqlite = "Sqlite";
    public const string SqlServer = "SqlServer";
    public static IReadOnlyList<string> All { get; } = [Sqlite, SqlServer];
}
