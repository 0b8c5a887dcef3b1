using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Data.Database;

/// <summary>
/// Checks, before any migration runs, that the stored data can take the migrations that are pending. A migration that
/// adds a constraint the data already breaks would otherwise stop half-way with a database error; here the start stops
/// first, with nothing changed, and says which rows a person must look at.
/// </summary>
public static class MigrationPreflight
{
    /// <summary>The migration that allows one signed decision per preview (a unique index on PreviewId).</summary>
    private const string OneDecisionPerPreview = "_ApprovalRevocations";

    public static async Task CheckAsync(ClinicDbContext db, CancellationToken cancellationToken = default)
    {
        var pending = await db.Database.GetPendingMigrationsAsync(cancellationToken);
        if (!pending.Any(id => id.EndsWith(OneDecisionPerPreview, StringComparison.Ordinal))) return;
        var applied = await db.Database.GetAppliedMigrationsAsync(cancellationToken);
        if (!applied.Any(id => id.EndsWith("_CareWorkflow", StringComparison.Ordinal))) return; // no approvals table yet

        var previews = await PreviewsWithSeveralDecisionsAsync(db, cancellationToken);
        if (previews.Count == 0) return;
        throw new ConfigurationException(
            $"The database cannot be upgraded: {previews.Count} preview(s) hold more than one signed decision " +
            $"(PlaylistApprovals.PreviewId {string.Join(", ", previews.Take(10))}{(previews.Count > 10 ? ", ..." : "")}). " +
            "Earlier versions let an approval and a rejection of the same preview race; this version allows one " +
            "decision per preview. The responsible clinician must decide which decision stands, and a database " +
            "administrator remove the other row (its audit entries stay as they are), before the clinic starts again. " +
            "Nothing was changed.");
    }

    private static async Task<List<string>> PreviewsWithSeveralDecisionsAsync(ClinicDbContext db, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await connection.OpenAsync(cancellationToken);
        try
        {
            await using DbCommand command = connection.CreateCommand();
            command.CommandText =
                "SELECT PreviewId FROM PlaylistApprovals GROUP BY PreviewId HAVING COUNT(*) > 1 ORDER BY PreviewId";
            var previews = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                previews.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) ?? "");
            return previews;
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }
}
