using System.Diagnostics;
using System.Reflection;
using Amrs.Core.Audit;

namespace Amrs.Data.Tests.Audit;

/// <summary>
/// Many writers, one chain: separate operating-system processes (as two app instances would) and many concurrent
/// appends inside one process, all on one SQLite file, leave a single unbroken chain with no sequence lost or doubled.
/// </summary>
public sealed class AuditConcurrencyTests
{
    private const int PerProcess = 1_000;

    [Fact]
    public async Task Two_processes_appending_a_thousand_entries_each_leave_one_unbroken_chain_of_two_thousand()
    {
        await using var database = await AuditTestDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;

        using var first = Appender(database.FilePath, "process-a");
        using var second = Appender(database.FilePath, "process-b");
        // Both are connected and warmed up before either appends, so their appends overlap.
        Assert.Equal("ready", await first.StandardOutput.ReadLineAsync(ct));
        Assert.Equal("ready", await second.StandardOutput.ReadLineAsync(ct));
        await first.StandardInput.WriteLineAsync("go");
        await second.StandardInput.WriteLineAsync("go");
        await first.StandardInput.FlushAsync(ct);
        await second.StandardInput.FlushAsync(ct);

        await Task.WhenAll(FinishAsync(first, ct), FinishAsync(second, ct));

        var entries = await database.AllAsync();
        Assert.Equal(Enumerable.Range(1, 2 * PerProcess).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.Equal(PerProcess, entries.Count(e => e.ActorId == "process-a"));
        Assert.Equal(PerProcess, entries.Count(e => e.ActorId == "process-b"));
        var result = await database.Reader.VerifyAsync(ct);
        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(2 * PerProcess, result.VerifiedCount);
        // Each process's own entries keep their order (it appended one after another).
        Assert.All(new[] { "process-a", "process-b" }, actor =>
            Assert.Equal(Enumerable.Range(1, PerProcess).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                entries.Where(e => e.ActorId == actor).Select(e => e.EntityId)));
        var switches = entries.Zip(entries.Skip(1)).Count(p => p.First.ActorId != p.Second.ActorId);
        TestContext.Current.TestOutputHelper?.WriteLine($"writer switched {switches} times along the chain");
    }

    [Fact]
    public async Task Many_concurrent_appends_in_one_process_leave_one_unbroken_chain()
    {
        const int writers = 16, perWriter = 40;
        await using var database = await AuditTestDatabase.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var at = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

        // Half the writers append single entries, half append batches of three in one transaction.
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                var draft = AuditTestDatabase.Draft(at.AddSeconds(i), $"writer-{w}", AuditActions.PatientViewed, null);
                if (w % 2 == 0) await database.Log.AppendAsync(draft);
                else await database.Log.AppendAsync(draft, draft, draft);
            }
        }, ct)).ToList();
        await Task.WhenAll(tasks);

        var expected = (writers / 2 * perWriter) + (writers / 2 * perWriter * 3);
        var entries = await database.AllAsync();
        Assert.Equal(Enumerable.Range(1, expected).Select(i => (long)i), entries.Select(e => e.Sequence));
        var result = await database.Reader.VerifyAsync(ct);
        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(expected, result.VerifiedCount);
        // A batch is one transaction: its three entries stay together in the chain.
        foreach (var batch in entries.Where(e => int.Parse(e.ActorId[7..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 1).Chunk(3))
            Assert.Equal(batch[0].Sequence + 2, batch[2].Sequence);
    }

    private static string AppenderPath =>
        typeof(AuditConcurrencyTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AuditAppender").Value
        ?? throw new InvalidOperationException("The build did not record where Amrs.Benchmarks.dll is.");

    private static Process Appender(string databaseFile, string actor)
    {
        var dll = AppenderPath;
        Assert.True(File.Exists(dll), $"{dll} is missing; build tests/Amrs.Benchmarks (the Data tests' build does it).");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dll, "audit-append", "--database", databaseFile, "--count", PerProcess.ToString(System.Globalization.CultureInfo.InvariantCulture), "--actor", actor, "--wait" })
            start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the appender process.");
    }

    private static async Task FinishAsync(Process process, CancellationToken ct)
    {
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        Assert.True(process.ExitCode == 0, $"appender exited with {process.ExitCode}:\n{await errors}\n{await output}");
        Assert.Contains($"appended {PerProcess}", await output, StringComparison.Ordinal);
    }
}
