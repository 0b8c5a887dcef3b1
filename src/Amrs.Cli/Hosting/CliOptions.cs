using System.CommandLine;

namespace Amrs.Cli.Hosting;

/// <summary>Options every verb understands.</summary>
public static class CliOptions
{
    /// <summary>Overrides Database:SqlitePath (and chooses SQLite), e.g. a fresh file for a test or a trial run.</summary>
    public static readonly Option<string?> Database = new("--database")
    {
        Description = "The SQLite database file to use instead of the configured one (Database:SqlitePath in appsettings.json).",
        HelpName = "PATH",
        Recursive = true,
    };
}
