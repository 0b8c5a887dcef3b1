using System.CommandLine;
using Microsoft.Data.Sqlite;

namespace Amrs.Cli.Tests;

/// <summary>Runs <c>amrs</c> through the real command tree with captured output, in a temporary folder of its own.</summary>
public sealed class CliRun : IDisposable
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "amrs-cli-tests", Guid.NewGuid().ToString("N"));

    public CliRun() => Directory.CreateDirectory(Folder);

    public string PathOf(string name) => Path.Combine(Folder, name);

    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await AmrsCommandLine.Create().Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { /* best effort */ }
    }
}

public sealed record CliResult(int Exit, string Output, string Error)
{
    public override string ToString() => $"exit {Exit}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
