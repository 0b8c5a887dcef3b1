using Amrs.Core.Audit;
using Amrs.Core.Security;
using Amrs.Data.Audit;
using Amrs.Data.Audit.Review;
using Amrs.Data.Database;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Amrs.Data.Tests.Audit;

/// <summary>A migrated SQLite file of its own (triggers included), configured as the clinic configures it.</summary>
internal sealed class AuditTestDatabase : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "amrs-audit-tests", Guid.NewGuid().ToString("N"));

    private AuditTestDatabase()
    {
        Directory.CreateDirectory(_folder);
        Options = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, SqlitePath = FilePath };
        ConnectionString = DatabaseSetup.ResolveConnectionString(Options);
        var builder = new DbContextOptionsBuilder<ClinicDbContext>();
        DatabaseSetup.Configure(builder, Options, ConnectionString);
        Contexts = new PooledDbContextFactory<ClinicDbContext>(builder.Options);
        Log = new AuditLog(Contexts, Options);
        Reader = new AuditTrailReader(Contexts);
    }

    public string FilePath => Path.Combine(_folder, "clinic.db");
    public string ConnectionString { get; }
    public DatabaseOptions Options { get; }
    public IDbContextFactory<ClinicDbContext> Contexts { get; }
    public AuditLog Log { get; }
    public AuditTrailReader Reader { get; }

    public static async Task<AuditTestDatabase> CreateAsync()
    {
        var database = new AuditTestDatabase();
        await using var db = await database.Contexts.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        return database;
    }

    /// <summary>Appends <paramref name="count"/> entries one by one, as the clinic would.</summary>
    public async Task AppendAsync(int count, DateTimeOffset? start = null, string action = AuditActions.PatientViewed)
    {
        var at = start ?? new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
            await Log.AppendAsync(Draft(at.AddMinutes(i), $"u-{i % 3}", action, $"P-{i % 4:000}"));
    }

    public static AuditDraft Draft(DateTimeOffset at, string actor, string action, string? patient,
        AuditOutcome outcome = AuditOutcome.Success, string details = AuditDetails.Empty) =>
        new(at, actor, $"Person {actor}", Roles.Clinician, action, AuditEntityTypes.Patient, patient ?? "", patient, outcome, details);

    /// <summary>What an attacker with the file does first: drop the append-only triggers.</summary>
    public async Task DropTriggersAsync()
    {
        await ExecuteAsync("DROP TRIGGER AuditEntries_NoUpdate; DROP TRIGGER AuditEntries_NoDelete;");
    }

    /// <summary>Raw SQL on a connection of its own, outside EF (as an attacker or a careless script would).</summary>
    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<List<AuditEntry>> AllAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { /* best effort */ }
        return ValueTask.CompletedTask;
    }
}
