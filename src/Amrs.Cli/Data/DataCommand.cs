using System.CommandLine;

namespace Amrs.Cli.Data;

/// <summary><c>amrs data</c>: fill, inspect and import the clinical data (catalog, patients, logged sessions).</summary>
internal static class DataCommand
{
    public static Command Create() => new("data", "Generate, import and inspect the clinical data (catalog, patients, logged sessions).")
    {
        GenerateCommand.Create(),
        ImportCommand.Create(),
        StatsCommand.Create(),
    };
}
