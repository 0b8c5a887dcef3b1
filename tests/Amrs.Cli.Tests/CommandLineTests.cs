namespace Amrs.Cli.Tests;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData(new[] { "--help" }, "data")]
    [InlineData(new[] { "data", "--help" }, "generate")]
    [InlineData(new[] { "data", "generate", "--help" }, "--patients")]
    [InlineData(new[] { "data", "import", "--help" }, "sessions <FILE>")]
    [InlineData(new[] { "data", "import", "catalog", "--help" }, "FILE")]
    [InlineData(new[] { "data", "stats", "--help" }, "--json")]
    [InlineData(new[] { "bench", "--help" }, "--clinicians")]
    public async Task Every_verb_has_help(string[] args, string expected)
    {
        var result = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.Ok, result.Exit);
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
        Assert.Contains("--database", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "data", "generate", "--world", "mars" }, "mars")]
    [InlineData(new[] { "data", "generate", "--patients", "0" }, "--patients must be at least 1")]
    [InlineData(new[] { "data", "import", "songs", "x.csv" }, "songs")]
    [InlineData(new[] { "data" }, "Required command was not provided")]
    [InlineData(new[] { "bench" }, "--json")]
    [InlineData(new[] { "bench", "--json", "b.json", "--only", "everything" }, "everything")]
    [InlineData(new[] { "train", "world-model", "--filter-dim", "-1" }, "--filter-dim must be 0 (no filter) or positive")]
    public async Task A_wrong_command_line_exits_1_and_says_what_is_wrong(string[] args, string expected)
    {
        var result = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.Refused, result.Exit);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_that_cannot_be_written_is_a_configuration_error_with_exit_2()
    {
        var result = await CliRun.RunAsync("data", "stats", "--database", "/proc/amrs-cannot-write-here/clinic.db");

        Assert.Equal(ExitCodes.Configuration, result.Exit);
        Assert.Contains("Database:SqlitePath", result.Error, StringComparison.Ordinal);
    }
}
