using Amrs.Data.Identity;
using Amrs.Data.Seeding;
using Amrs.Simulation.Generation;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Infrastructure;

/// <summary>
/// The real clinic in memory, on its own temporary SQLite file with demo accounts, so tests never touch the
/// developer's database and never share state. A test of start-up can give a folder to share between two
/// starts (it then deletes it itself) and a small demo world to generate (otherwise none is generated).
/// </summary>
public sealed class ClinicFactory : WebApplicationFactory<Program>
{
    private readonly string _folder;
    private readonly bool _ownsFolder;
    private readonly WorldRecipe? _demoWorld;

    /// <summary>A fresh folder (deleted on disposal) and no demo world: the fixture every test class uses.</summary>
    public ClinicFactory()
        : this(null, null)
    {
    }

    private ClinicFactory(string? folder, WorldRecipe? demoWorld)
    {
        _ownsFolder = folder is null;
        _folder = folder ?? Path.Combine(Path.GetTempPath(), "amrs-tests", Guid.NewGuid().ToString("N"));
        _demoWorld = demoWorld;
    }

    /// <summary>A clinic on the database in <paramref name="folder"/> (kept on disposal) that generates <paramref name="demoWorld"/> if it is empty.</summary>
    public static ClinicFactory WithDemoWorld(string folder, WorldRecipe demoWorld) => new(folder, demoWorld);

    /// <summary>A clinic on the database in <paramref name="folder"/> (kept on disposal): start two to run two instances on one database.</summary>
    public static ClinicFactory OnDatabaseIn(string folder) => new(folder, null);

    public string DatabasePath => Path.Combine(_folder, "clinic.db");

    /// <summary>The model store of this clinic (Engine:ModelStoreRoot), inside its own folder.</summary>
    public string ModelStoreRoot => Path.Combine(_folder, "model-store");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("Database:SqlitePath", DatabasePath);
        builder.UseSetting("Demo:Accounts", "true");
        builder.UseSetting("Engine:ModelStoreRoot", ModelStoreRoot); // never the developer's model store
        builder.UseSetting("Demo:GenerateWorld", _demoWorld is null ? "false" : "true");
        if (_demoWorld is not null)
            builder.ConfigureServices(services => services.AddSingleton(_demoWorld));
    }

    /// <summary>Creates an extra account (for tests that lock or change it) and returns its user name.</summary>
    public Task<string> CreateAccountAsync(string role, string password, string? careUnit = "Unit A") =>
        CreateAccountAsync(Services, role, password, careUnit);

    /// <summary>The same on any running clinic (for example one derived with WithWebHostBuilder).</summary>
    public static Task<string> CreateAccountAsync(IServiceProvider services, string role, string password, string? careUnit = "Unit A") =>
        TestAccounts.CreateAsync(services, role, password, careUnit);

    public static string DemoPassword => new DemoOptions().Password;

    // xunit disposes fixtures asynchronously, and the factory's DisposeAsync does not pass through Dispose(true).
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        RemoveFolder();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) RemoveFolder();
    }

    private void RemoveFolder()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!_ownsFolder) return;
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { /* gone already, or best effort */ }
    }
}
