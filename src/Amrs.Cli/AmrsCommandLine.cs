using System.CommandLine;
using Amrs.Cli.Data;
using Amrs.Cli.Hosting;

namespace Amrs.Cli;

/// <summary>The <c>amrs</c> command tree. Tests parse and invoke it exactly as the program does.</summary>
public static class AmrsCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand("amrs: data, training, evaluation and benchmarks for AMRS Clinic.")
        {
            CliOptions.Database,
            DataCommand.Create(),
        };
        Commands.WorldModelCommands.AddTo(root);
        Commands.PolicyCommands.AddTo(root);
        root.Subcommands.Add(Benchmarks.BenchCommand.Create());
        return root;
    }
}

/// <summary>Exit codes of every verb.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The input was refused (invalid file, data already present, unknown file) or the command line was wrong.</summary>
    public const int Refused = 1;

    /// <summary>A setting is wrong (database provider, path), so nothing could start.</summary>
    public const int Configuration = 2;
}
