using System.Globalization;
using System.Text;
using Amrs.Core.Audit;

namespace Amrs.Data.Audit.Export;

/// <summary>
/// Writes audit entries as CSV (RFC 4180): a header row, CRLF line ends, UTF-8 without a byte order mark, and a
/// field in double quotes (quotes doubled) when it holds a comma, a quote, a CR or an LF. Every stored field is
/// written verbatim, hashes included, so the export can be checked against the chain; nothing is escaped for
/// spreadsheets (a leading "=" stays as it is), because an audit copy must not alter what was recorded.
/// </summary>
public static class AuditCsvExport
{
    public static IReadOnlyList<string> Header { get; } =
    [
        "Sequence", "RecordedAt", "ActorId", "ActorName", "ActorRole", "Action", "EntityType", "EntityId",
        "PatientId", "Outcome", "Details", "PreviousHash", "Hash",
    ];

    private static readonly UTF8Encoding _utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The export as one string (for small ranges and tests).</summary>
    public static string ToCsv(IEnumerable<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var text = new StringBuilder();
        using (var writer = new StringWriter(text, CultureInfo.InvariantCulture))
        {
            WriteRow(writer, Header);
            foreach (var entry in entries)
                WriteRow(writer, Fields(entry));
        }
        return text.ToString();
    }

    /// <summary>Streams the export to <paramref name="output"/> (left open), one entry at a time.</summary>
    public static async Task WriteAsync(IAsyncEnumerable<AuditEntry> entries, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(output);
        await using var writer = new StreamWriter(output, _utf8, bufferSize: 64 * 1024, leaveOpen: true);
        WriteRow(writer, Header);
        await foreach (var entry in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
            WriteRow(writer, Fields(entry));
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The fields of one row, in <see cref="Header"/> order. Null (no patient) is an empty field.</summary>
    public static IReadOnlyList<string> Fields(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return
        [
            entry.Sequence.ToString(CultureInfo.InvariantCulture),
            entry.RecordedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            entry.ActorId,
            entry.ActorName,
            entry.ActorRole,
            entry.Action,
            entry.EntityType,
            entry.EntityId,
            entry.PatientId ?? "",
            entry.Outcome.ToString(),
            entry.Details,
            entry.PreviousHash,
            entry.Hash,
        ];
    }

    /// <summary>One field as RFC 4180 writes it.</summary>
    public static string Escape(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(",\"\r\n") < 0
            ? field
            : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static void WriteRow(TextWriter writer, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
                writer.Write(',');
            writer.Write(Escape(fields[i]));
        }
        writer.Write("\r\n");
    }
}
