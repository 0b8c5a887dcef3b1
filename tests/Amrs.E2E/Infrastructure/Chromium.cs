using System.Diagnostics;

namespace Amrs.E2E.Infrastructure;

/// <summary>
/// Finds Debian's Chromium, installing it with apt-get when it is missing and we run as root (as CI does).
/// Never downloads Playwright's own browser build (there is no internet here). Fails with a message that says
/// what is missing; never skips.
/// </summary>
internal static class Chromium
{
    public const string DebianPath = "/usr/bin/chromium";
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task<string> EnsureInstalledAsync()
    {
        var configured = Environment.GetEnvironmentVariable("AMRS_CHROMIUM");
        if (!string.IsNullOrEmpty(configured))
            return File.Exists(configured) ? configured : throw new InvalidOperationException($"AMRS_CHROMIUM points to '{configured}', which does not exist.");

        await Gate.WaitAsync();
        try
        {
            if (File.Exists(DebianPath)) return DebianPath;
            if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
                throw new InvalidOperationException(
                    $"The end-to-end tests need Chromium at {DebianPath}. Install it with 'apt-get install -y chromium' " +
                    "(or set AMRS_CHROMIUM to a Chromium binary) and run the tests again.");
            await RunAsync("apt-get", "update");
            await RunAsync("apt-get", "install", "-y", "--no-install-recommends", "chromium");
            return File.Exists(DebianPath)
                ? DebianPath
                : throw new InvalidOperationException($"apt-get reported success but {DebianPath} is still missing.");
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task RunAsync(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"Installing Chromium failed: '{command} {string.Join(' ', arguments)}' exited with {process.ExitCode}.\n{await errors}\n{await output}");
    }
}
