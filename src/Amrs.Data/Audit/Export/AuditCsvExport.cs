using System.Globalization;
using System.Text;
using Amrs.Core.Audit;

namespace Amrs.Data.Audit.Export;

/// <summary>
/// Writes audit entries as CSV (RFC 4180): a header row, CRLF line ends, UTF-8 without a byte order mark, and a
/// field in double quotes (quotes doubled) when it holds a comma, a quote, a CR or an LF.
/// <para>
/// Auditors open exports in spreadsheets, and names and ids are free text (a full name, an imported patient id): a
/// field that begins with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a CR would run as a formula. Such a field,
/// and one that begins with an apostrophe, is written with one more apostrophe in front, which spreadsheets show as
/// text and do not evaluate. The encoding is reversible: remove one leading apostrophe from a field that has one
/// (<see cref="Unneutralise"/>) and the field is exactly as recorded, so every hash can still be checked.
/// </para>
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

    /// <summary>One field as written: neutralised for spreadsheets (see the class), then quoted as RFC 4180 asks.</summary>
    public static string Escape(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        field = Neutralise(field);
        return field.AsSpan().IndexOfAny(",\"\r\n") < 0
            ? field
            : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A field that a spreadsheet would run as a formula (or that starts with an apostrophe), with one apostrophe in front.</summary>
    public static string Neutralise(string field) =>
        field.Length > 0 && field[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\'' ? "'" + field : field;

    /// <summary>The field as recorded, from a field as exported (after RFC 4180 unquoting).</summary>
    public static string Unneutralise(string exported) =>
        exported.StartsWith('\'') ? exported[1..] : exported;

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
