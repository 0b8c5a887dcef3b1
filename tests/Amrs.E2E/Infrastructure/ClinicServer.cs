using Amrs.Clinic.Services.Engine;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Data.Identity;
using Amrs.Data.Seeding;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Amrs.E2E.Infrastructure;

/// <summary>
/// The real clinic on a real loopback socket (its own temporary database, demo accounts on) and one headless
/// Debian Chromium, shared by every end-to-end test.
/// </summary>
public sealed class ClinicServer : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "amrs-e2e", Guid.NewGuid().ToString("N"));
    private ClinicFactory? _factory;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;
    public string BaseUrl { get; private set; } = "";
    public IServiceProvider Services => _factory!.Services;
    public static string ArtefactFolder { get; } = Path.Combine(AppContext.BaseDirectory, "artefacts");

    /// <summary>The deterministic stand-in for the learned models that this server uses (tests set what it proposes).</summary>
    public FakeCareEngine CareEngine { get; } = new();

    /// <summary>Browser console errors and failed requests, kept as a test artefact for diagnosis.</summary>
    private static string BrowserLog => Path.Combine(ArtefactFolder, "browser.log");

    public async ValueTask InitializeAsync()
    {
        var chromium = await Chromium.EnsureInstalledAsync();
        _factory = new ClinicFactory(Path.Combine(_folder, "clinic.db"), ConfigureTestServices);
        _factory.UseKestrel(0);
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal).TrimEnd('/') + "/";

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
        });
        Directory.CreateDirectory(ArtefactFolder);
    }

    /// <summary>A fresh browser context (own cookies) at desktop or tablet size.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        page.Console += (_, message) => File.AppendAllText(BrowserLog, $"[browser {message.Type}] {message.Text}\n");
        page.PageError += (_, error) => File.AppendAllText(BrowserLog, $"[browser error] {error}\n");
        page.Response += (_, response) => { if (response.Status >= 400) File.AppendAllText(BrowserLog, $"[response {response.Status}] {response.Url}\n"); };
        page.RequestFailed += (_, request) => File.AppendAllText(BrowserLog, $"[request failed] {request.Url} {request.Failure}\n");
        return page;
    }

    /// <summary>Creates an extra account (for tests that lock it) and returns its user name.</summary>
    public Task<string> CreateAccountAsync(string role, string password) =>
        Amrs.Clinic.Tests.Infrastructure.TestAccounts.CreateAsync(Services, role, password);

    public static string DemoPassword => new DemoOptions().Password;

    /// <summary>The account id of a user name (to seed records signed by a demo account).</summary>
    public async Task<string> UserIdAsync(string userName)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        return (await users.FindByNameAsync(userName))?.Id ?? throw new InvalidOperationException($"No account {userName}.");
    }

    /// <summary>
    /// The hook for services the end-to-end server replaces. Add replacements here, one line each, and say why:
    /// the server is shared by every end-to-end test.
    /// </summary>
    private void ConfigureTestServices(IServiceCollection services)
    {
        // No trained bundle ships with the test world: proposals come from the deterministic fake.
        services.AddSingleton<ICareEngine>(CareEngine);
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { /* best effort */ }
    }

    private sealed class ClinicFactory(string databasePath, Action<IServiceCollection> testServices) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            // Outside Development the host does not map package assets (MudBlazor's css/js) by itself.
            builder.UseStaticWebAssets();
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("Database:SqlitePath", databasePath);
            // Never the developer's model store: one beside the test database.
            builder.UseSetting("Engine:ModelStoreRoot", Path.Combine(Path.GetDirectoryName(databasePath)!, "model-store"));
            builder.UseSetting("Demo:Accounts", "true");
            builder.UseSetting("Demo:GenerateWorld", "false");
            builder.ConfigureTestServices(testServices);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClinicCollection : ICollectionFixture<ClinicServer>
{
    public const string Name = "clinic";
}
