using System.Diagnostics;

namespace Amrs.Clinic.Tests.Operations;

/// <summary>
/// Bad settings stop the real clinic process at start-up with a message that names the setting. These run the
/// built Amrs.Clinic.dll as its own process, exactly as an operator would meet the error.
/// </summary>
public sealed class StartupConfigurationTests
{
    [Fact]
    public async Task An_unknown_database_provider_stops_start_up_naming_the_setting_and_allowed_values()
    {
        var (exitCode, errors) = await RunClinicAsync(("Database__Provider", "Oracle"));

        Assert.Equal(2, exitCode);
        Assert.Contains("Database:Provider is 'Oracle'", errors, StringComparison.Ordinal);
        Assert.Contains("Sqlite and SqlServer", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_server_without_a_connection_string_stops_start_up()
    {
        var (exitCode, errors) = await RunClinicAsync(("Database__Provider", "SqlServer"));

        Assert.Equal(2, exitCode);
        Assert.Contains("Database:ConnectionString is missing", errors, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Errors)> RunClinicAsync(params (string Name, string Value)[] environment)
    {
        var clinic = Path.Combine(AppContext.BaseDirectory, "Amrs.Clinic.dll");
        Assert.True(File.Exists(clinic), $"{clinic} was not built beside the tests");
        var start = new ProcessStartInfo("dotnet", [clinic])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (name, value) in environment) start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The clinic kept running with bad settings. Output: {await output}");
        }
        return (process.ExitCode, await errors);
    }
}
