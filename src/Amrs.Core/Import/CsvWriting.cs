using System.Globalization;
using System.Text;

namespace Amrs.Core.Import;

/// <summary>RFC 4180 output: CRLF line ends, fields quoted when they hold a comma, quote, line break or edge blank.</summary>
public static class CsvWriting
{
    public static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void WriteRow(TextWriter writer, IReadOnlyList<string?> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
                writer.Write(',');
            writer.Write(Escape(fields[i]));
        }
        writer.Write("\r\n");
    }

    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        var needsQuotes = value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || value[0] == ' ' || value[^1] == ' ';
        return needsQuotes ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>Shortest text that reads back to the same double.</summary>
    public static string? Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);

    public static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    public static StreamWriter Writer(Stream stream) => new(stream, Utf8NoBom, bufferSize: 64 * 1024, leaveOpen: true);

    public static string ListOf(IEnumerable<string> items, string column)
    {
        var list = items.ToArray();
        if (list.Any(i => i.Contains(';', StringComparison.Ordinal)))
            throw new ArgumentException($"A '{column}' entry contains ';', the list separator.", column);
        return string.Join(";", list);
    }
}
