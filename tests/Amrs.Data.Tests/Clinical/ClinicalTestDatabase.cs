using System.Text;
using Amrs.Core.Audit;
using Amrs.Data.Audit;
using Amrs.Data.Clinical;
using Amrs.Data.Database;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Data.Tests.Clinical;

/// <summary>A migrated SQLite file of its own with the clinical data services, and a folder for input files.</summary>
internal sealed class ClinicalTestDatabase : IAsyncDisposable
{
    public static readonly DataActor Admin = new("admin-1", "Ada Admin", "Admin");

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "amrs-data-tests", Guid.NewGuid().ToString("N"));
    private readonly ServiceProvider _services;

    private ClinicalTestDatabase()
    {
        Directory.CreateDirectory(_folder);
        var options = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, SqlitePath = Path.Combine(_folder, "clinic.db") };
        var connectionString = DatabaseSetup.ResolveConnectionString(options);
        var services = new ServiceCollection();
        services.AddDbContextFactory<ClinicDbContext>(db => DatabaseSetup.Configure(db, options, connectionString));
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ClinicalDataImporter>();
        services.AddSingleton<ClinicalDataWriter>();
        services.AddSingleton<ClinicalDataReader>();
        _services = services.BuildServiceProvider();
    }

    public IDbContextFactory<ClinicDbContext> Contexts => _services.GetRequiredService<IDbContextFactory<ClinicDbContext>>();
    public ClinicalDataImporter Importer => _services.GetRequiredService<ClinicalDataImporter>();
    public ClinicalDataWriter Writer => _services.GetRequiredService<ClinicalDataWriter>();
    public ClinicalDataReader Reader => _services.GetRequiredService<ClinicalDataReader>();

    public static async Task<ClinicalTestDatabase> CreateAsync()
    {
        var database = new ClinicalTestDatabase();
        await database._services.MigrateDatabaseAsync();
        return database;
    }

    public string File(string name, string content) => File(name, Encoding.UTF8.GetBytes(content));

    public string File(string name, byte[] content)
    {
        var path = Path.Combine(_folder, name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    public Task<ImportResult> ImportAsync(ClinicalDataKind kind, string path, IProgress<DataProgress>? progress = null) =>
        Importer.ImportAsync(kind, path, Admin, progress, cancellationToken: TestContext.Current.CancellationToken);

    public Task<ClinicalDataCounts> CountsAsync() => Writer.CountAsync(TestContext.Current.CancellationToken);

    public async Task<List<AuditEntry>> AuditAsync(string action)
    {
        await using var db = await Contexts.CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await db.AuditEntries.AsNoTracking().Where(e => e.Action == action).OrderBy(e => e.Sequence).ToListAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { /* best effort */ }
    }
}
