using Amrs.Data;
using Amrs.Data.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Amrs.Cli.WorldModels;

/// <summary>
/// Reads the logged data from the configured database (what <c>amrs data generate</c> or an import filled).
/// Read-only: never creates, migrates or seeds a database.
/// </summary>
internal static class DatabaseTrainingData
{
    public static async Task<TrainingData> LoadAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = DatabaseSetup.ResolveConnectionString(options);
        var where = options.Provider == DatabaseProvider.Sqlite ? DataPaths.Resolve(options.SqlitePath) : "the SQL Server database";
        if (options.Provider == DatabaseProvider.Sqlite && !File.Exists(where))
            throw new TrainingDataException(
                $"There is no database at {where}. Fill it with `amrs data generate`, or train on a generated world directly with --world default.");

        var builder = new DbContextOptionsBuilder<ClinicDbContext>();
        DatabaseSetup.Configure(builder, options, connectionString);
        await using var db = new ClinicDbContext(builder.Options);
        try
        {
            var tracks = (await db.Tracks.AsNoTracking().ToListAsync(cancellationToken)).Select(t => t.ToDomain()).ToArray();
            var patients = (await db.Patients.AsNoTracking().ToListAsync(cancellationToken)).Select(p => p.ToDomain()).ToArray();
            var sessions = (await db.SessionLogs.AsNoTracking().Include(s => s.Steps).ToListAsync(cancellationToken))
                .Select(s => s.ToDomain()).ToArray();
            if (sessions.Length == 0)
                throw new TrainingDataException(
                    $"The database at {where} holds no logged sessions. Fill it with `amrs data generate` or import session logs.");
            var data = new TrainingData(tracks, patients, sessions, $"database {where}", null);
            return data with { SimulatorConfigHash = RecogniseWorld(data) };
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
        {
            throw new TrainingDataException($"Could not read the logged data from {where}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The configuration hash of the shipped world the database holds, if it holds one unchanged: the data's
    /// fingerprint must equal that of the regenerated world (a few seconds; only tried when the sizes match).
    /// </summary>
    private static string? RecogniseWorld(TrainingData data)
    {
        foreach (var name in WorldChoice.Names)
        {
            var config = new WorldChoice(name).Config;
            if (config.PatientCount != data.Patients.Count || config.TrackCount != data.Catalog.Count) continue;
            var world = Simulation.Generation.WorldGenerator.Generate(config);
            if (TrainingData.FromWorld(world, new WorldChoice(name)).Fingerprint() == data.Fingerprint()) return config.ConfigHash;
        }
        return null;
    }
}

/// <summary>The training data could not be found or read; the message says what to do.</summary>
public sealed class TrainingDataException(string message, Exception? inner = null) : Exception(message, inner);
