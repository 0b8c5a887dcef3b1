using System.CommandLine;
using Amrs.Cli.Commands;
using TorchSharp;

namespace Amrs.Cli.Tests.WorldModels;

/// <summary>
/// Runs the world-model verbs through the real command-line parser, capturing what they write. Torch runs on
/// one thread here (results are bit-identical only at a fixed count; the machine's cores are shared).
/// </summary>
internal static class WorldModelCli
{
    /// <summary>A world small enough to train on in seconds; big enough for a 80/10/10 split.</summary>
    public static readonly string[] TinyWorld = ["--world", "default", "--patients", "30", "--tracks", "90"];

    public static async Task<CliRun> RunAsync(string[] args, CancellationToken cancellationToken = default, Action<string>? onError = null)
    {
        torch.set_num_threads(1);
        var root = new RootCommand("amrs (test)");
        WorldModelCommands.AddTo(root);
        var output = new StringWriter();
        var error = new ObservingWriter(onError);
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    public static string TemporaryFolder() => TemporaryFolders.Create();

    /// <summary>A StringWriter that tells an observer about every line (used to cancel at a known moment).</summary>
    private sealed class ObservingWriter(Action<string>? onLine) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            onLine?.Invoke(value ?? "");
        }
    }
}

internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- output\n{Output}\n--- error\n{Error}";
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WorldModelCollection
{
    public const string Name = "world-model verbs (torch, one thread)";
}
