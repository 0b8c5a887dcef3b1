using System.Text.Json;
using Amrs.Cli.Benchmarks;

namespace Amrs.Cli.Tests.Benchmarks;

public sealed class BenchCommandTests
{
    [Fact]
    public void Median_and_95th_percentile_are_the_nearest_ranks_of_the_measurements()
    {
        var timings = Timings.Of(Enumerable.Range(1, 20).Select(i => (double)i).Reverse().ToArray());

        Assert.Equal(10, timings.MedianMs);
        Assert.Equal(19, timings.P95Ms);
        Assert.Equal(10.5, timings.MeanMs);
        Assert.Equal(1, timings.MinMs);
        Assert.Equal(20, timings.Count);
    }

    [Fact]
    public async Task The_audit_part_writes_its_measurements_and_the_targets_to_the_json_file()
    {
        using var run = new CliRun();
        var file = run.PathOf("bench.json");

        var result = await CliRun.RunAsync("bench", "--json", file, "--only", BenchCommand.Audit);

        Assert.Equal(ExitCodes.Ok, result.Exit);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
        var audit = json.RootElement.GetProperty("audit");
        Assert.True(audit.GetProperty("appendsPerSecond").GetDouble() > 0);
        Assert.Equal(1_000_000, audit.GetProperty("verifiedInMemory").GetInt32());
        Assert.True(audit.GetProperty("verifiedFromDatabase").GetInt32() >= 2_000);
        Assert.False(json.RootElement.TryGetProperty("engine", out _)); // parts not asked for are left out
        Assert.Contains("appends/s", result.Output, StringComparison.Ordinal);
    }
}
