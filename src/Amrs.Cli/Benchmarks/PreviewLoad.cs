using System.Collections.Concurrent;
using System.Diagnostics;
using Amrs.Clinic;
using Amrs.Clinic.Services.Engine;
using Amrs.Clinic.Services.Data;
using Amrs.Clinic.Services.Patients;
using Amrs.Clinic.Services.Preview;
using Amrs.Core.Affect;
using Amrs.Core.Security;
using Amrs.Core.Utility;
using Amrs.Data;
using Amrs.Data.Hosting;
using Amrs.Data.Identity;
using Amrs.Data.Seeding;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Amrs.Cli.Benchmarks;

/// <summary>Preview latency through the clinic's own PlaylistPreviews service, alone and with many clinicians at once.</summary>
public sealed record PreviewResult(
    int Patients,
    Timings Alone,
    int Concurrent,
    Timings AtOnce,
    Timings? AloneWhileTraining,
    Timings? AtOnceWhileTraining,
    double? TrainingStepsPerSecondMeanwhile);

/// <summary>
/// Starts the clinic's services in this process (not its web server) on a fresh SQLite database with the demo world
/// and the shipped bundle, exactly as a first start does, and previews as the demo clinician from many signed-in
/// scopes at once, each on its own patient (no result caching: every preview proposes, simulates, records and
/// audits). A preview is what the page asks for: the DPO proposal and its rollouts beside the cloned policy's.
/// Optionally repeats both while a world-model training job runs on another thread in the same process.
/// </summary>
public sealed class PreviewLoad : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _folder;
    private readonly string[] _patients;

    private PreviewLoad(WebApplication app, string folder, string[] patients)
    {
        _app = app;
        _folder = folder;
        _patients = patients;
    }

    public static async Task<PreviewLoad> StartAsync(int patients, int? torchThreads, TextWriter log)
    {
        var folder = Path.Combine(Path.GetTempPath(), "amrs-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Benchmark", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddRootAppSettings();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:SqlitePath"] = Path.Combine(folder, "clinic.db"),
            ["Demo:Accounts"] = "true",
            ["Demo:GenerateWorld"] = "true",
            ["Engine:TorchThreads"] = torchThreads?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddAmrsData();
        builder.AddAmrsClinic();
        var app = builder.Build();
        var clock = Stopwatch.StartNew();
        await app.Services.InitializeDatabaseAsync();
        await app.Services.EnsureDemoWorldAsync();
        await app.Services.AssignDemoPatientsAsync();
        await app.Services.RegisterShippedModelsAsync();
        log.WriteLine($"  clinic ready with the demo world in {clock.Elapsed.TotalSeconds:F0} s");

        var clinician = await UserIdAsync(app.Services, DemoAccounts.For(Roles.Clinician).UserName);
        string[] chosen;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync())
        {
            chosen = await db.Patients.AsNoTracking().Where(p => p.ClinicianUserId == clinician)
                .OrderBy(p => p.PatientId).Select(p => p.PatientId).Take(patients).ToArrayAsync();
        }
        if (chosen.Length < patients) throw new InvalidOperationException($"The demo clinician has only {chosen.Length} patients; {patients} are needed.");
        SessionMode[] modes = [SessionMode.Calm, SessionMode.Energize, SessionMode.Sleep, SessionMode.Focus];
        await using (var scope = await SignedInAsync(app.Services))
        {
            var profiles = scope.ServiceProvider.GetRequiredService<UtilityProfiles>();
            for (var i = 0; i < chosen.Length; i++)
            {
                var saved = await profiles.SaveAsync(chosen[i], UtilityProfile.DefaultFor(modes[i % modes.Length]), "benchmark goals");
                if (!saved.Succeeded) throw new InvalidOperationException($"Could not save goals for {chosen[i]}.");
            }
        }
        var load = new PreviewLoad(app, folder, chosen);
        await load.PreviewAsync(chosen[0]); // loads the bundle
        return load;
    }

    /// <summary>Previews one patient after another (one clinician), then <paramref name="concurrent"/> clinicians at once, <paramref name="rounds"/> each.</summary>
    public async Task<(Timings Alone, Timings AtOnce)> MeasureAsync(int concurrent, int rounds)
    {
        var alone = new List<double>();
        foreach (var patient in _patients.Take(Math.Max(concurrent, 10)))
            alone.Add(await TimedPreviewAsync(patient));

        var atOnce = new ConcurrentBag<double>();
        using var start = new SemaphoreSlim(0);
        var clinicians = _patients.Take(concurrent).Select(patient => Task.Run(async () =>
        {
            await start.WaitAsync();
            for (var round = 0; round < rounds; round++) atOnce.Add(await TimedPreviewAsync(patient));
        })).ToArray();
        start.Release(concurrent);
        await Task.WhenAll(clinicians);
        return (Timings.Of(alone), Timings.Of(atOnce.ToArray()));
    }

    private async Task<double> TimedPreviewAsync(string patient)
    {
        var clock = Stopwatch.StartNew();
        await PreviewAsync(patient);
        return clock.Elapsed.TotalMilliseconds;
    }

    private async Task PreviewAsync(string patient)
    {
        await using var scope = await SignedInAsync(_app.Services);
        var outcome = await scope.ServiceProvider.GetRequiredService<PlaylistPreviews>().PreviewAsync(patient);
        if (!outcome.Succeeded) throw new InvalidOperationException($"Preview for {patient} refused: {string.Join(" ", outcome.Errors)}");
    }

    /// <summary>A scope in which the demo clinician is signed in, as on their page (principal from the clinic's claims factory).</summary>
    private static async Task<AsyncServiceScope> SignedInAsync(IServiceProvider services)
    {
        var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        var user = await users.FindByNameAsync(DemoAccounts.For(Roles.Clinician).UserName) ?? throw new InvalidOperationException("No demo clinician.");
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ClinicUser>>().CreateAsync(user);
        ((IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        return scope;
    }

    private static async Task<string> UserIdAsync(IServiceProvider services, string userName)
    {
        await using var scope = services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>().FindByNameAsync(userName);
        return user?.Id ?? throw new InvalidOperationException($"No account {userName}.");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { /* best effort */ }
    }
}
