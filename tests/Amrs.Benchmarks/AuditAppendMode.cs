using Amrs.Core.Audit;
using Amrs.Data.Audit;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Benchmarks;

/// <summary>
/// Appends entries one at a time through the real <see cref="AuditLog"/>, as an app instance would. Used by the
/// Data tests as the second operating-system process writing to the same SQLite file.
/// </summary>
internal static class AuditAppendMode
{
    public const string Name = "audit-append";

    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var file = arguments.RequiredText("database");
        if (!File.Exists(file))
        {
            await Console.Error.WriteLineAsync($"{file} does not exist; create and migrate the database first.");
            return 66;
        }
        var count = arguments.Number("count");
        var actor = arguments.Text("actor") ?? $"process-{Environment.ProcessId}";

        var options = ClinicDatabase.Options(file);
        var log = new AuditLog(ClinicDatabase.Factory(options), options);
        await using (var db = await ClinicDatabase.Factory(options).CreateDbContextAsync())
            _ = await db.AuditEntries.CountAsync(); // open the file and warm up before the start signal

        Console.WriteLine("ready");
        if (arguments.Has("wait"))
            _ = await Console.In.ReadLineAsync();

        for (var i = 1; i <= count; i++)
        {
            await log.AppendAsync(new AuditDraft(DateTimeOffset.UtcNow, actor, actor, AuditActors.SystemRole,
                AuditActions.DataGenerated, AuditEntityTypes.Dataset, i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                null, AuditOutcome.Success, AuditDetails.Of(new { process = Environment.ProcessId, n = i })));
        }
        Console.WriteLine($"appended {count}");
        return 0;
    }
}
