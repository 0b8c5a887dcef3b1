using System.ComponentModel.DataAnnotations;
using Amrs.Data.Database;

namespace Amrs.Data.Audit.Anchors;

/// <summary>The <c>Audit</c> section of appsettings.json: where and how often the chain's head is anchored.</summary>
public sealed class AuditAnchorOptions
{
    public const string Section = "Audit";

    /// <summary>
    /// The anchor file. Null: beside the SQLite database file (<c>clinic.audit-anchors.txt</c> for <c>clinic.db</c>),
    /// or in the clinic's data folder for SQL Server. Point it at storage the database's owners cannot rewrite.
    /// </summary>
    public string? AnchorFile { get; set; }

    /// <summary>How often the clinic anchors the chain's head when the trail has grown.</summary>
    [Range(1, 24 * 60, ErrorMessage = "Audit:AnchorIntervalMinutes must be between 1 and 1440 minutes.")]
    public int AnchorIntervalMinutes { get; set; } = 60;

    /// <summary>The anchor file's full path for this database.</summary>
    public string ResolveFile(DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (!string.IsNullOrWhiteSpace(AnchorFile)) return DataPaths.Resolve(AnchorFile);
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            var file = DataPaths.Resolve(database.SqlitePath);
            return Path.Combine(Path.GetDirectoryName(file) ?? ".", Path.GetFileNameWithoutExtension(file) + ".audit-anchors.txt");
        }
        return DataPaths.Resolve("audit-anchors.txt");
    }
}
