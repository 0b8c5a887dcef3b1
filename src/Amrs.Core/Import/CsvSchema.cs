using System.Globalization;

namespace Amrs.Core.Import;

/// <summary>
/// The columns of one file format. Reading the header maps column names (case-insensitive, trimmed) to
/// positions and reports missing required columns, duplicated columns and columns the format does not know
/// (a strict choice: a misspelt optional column would otherwise be dropped without a word).
/// </summary>
internal sealed class CsvSchema(IReadOnlyList<string> required, IReadOnlyList<string> optional)
{
    public IReadOnlyList<string> Required { get; } = required;
    public IReadOnlyList<string> Optional { get; } = optional;

    public IEnumerable<string> All => Required.Concat(Optional);

    /// <summary>Column positions by name, or null when the header is unusable (errors recorded).</summary>
    public Dictionary<string, int>? ReadHeader(RawRecord? header, List<CsvError> errors)
    {
        if (header is not { } h)
        {
            errors.Add(new CsvError(1, null, $"the file is empty; expected a header with {string.Join(",", Required)}"));
            return null;
        }
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var known = All.ToHashSet(StringComparer.Ordinal);
        var ok = true;
        for (var i = 0; i < h.Fields.Length; i++)
        {
            var name = h.Fields[i].Trim().ToLowerInvariant();
            if (!known.Contains(name))
            {
                errors.Add(new CsvError(h.Line, h.Fields[i], $"unknown column; expected columns are {string.Join(", ", All)}"));
                ok = false;
            }
            else if (!columns.TryAdd(name, i))
            {
                errors.Add(new CsvError(h.Line, name, "the column appears twice in the header"));
                ok = false;
            }
        }
        foreach (var name in Required.Where(n => !columns.ContainsKey(n)))
        {
            errors.Add(new CsvError(h.Line, name, "required column is missing from the header"));
            ok = false;
        }
        return ok ? columns : null;
    }
}

/// <summary>
/// Reads the cells of one row by column name, parsing with the invariant culture and recording every problem
/// (the row is rejected if any). Empty cells and absent optional columns read as null.
/// </summary>
internal sealed class CsvRow(Dictionary<string, int> columns, RawRecord record, List<CsvError> errors)
{
    private readonly int _errorsBefore = errors.Count;

    public int Line => record.Line;

    public bool HasErrors => errors.Count > _errorsBefore;

    public void Error(string? column, string message) => errors.Add(new CsvError(Line, column, message));

    /// <summary>The raw cell, or null when the column is absent or the cell empty.</summary>
    public string? Text(string column)
    {
        if (!columns.TryGetValue(column, out var i))
            return null;
        var value = record.Fields[i];
        return value.Length == 0 ? null : value;
    }

    public string RequiredText(string column)
    {
        var value = Text(column);
        if (value is null || value.Trim().Length == 0)
        {
            Error(column, "a value is required");
            return "";
        }
        return value;
    }

    /// <summary>An identifier: required, and no blanks around it (they would make two ids look the same).</summary>
    public string Id(string column)
    {
        var value = RequiredText(column);
        if (value.Length > 0 && value.Trim().Length != value.Length)
            Error(column, $"'{value}' has spaces around it");
        return value;
    }

    public double? Number(string column, double min, double max)
    {
        var text = Text(column)?.Trim();
        if (text is null || text.Length == 0)
            return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            Error(column, $"'{text}' is not a number (use a dot as decimal separator)");
            return null;
        }
        if (value < min || value > max)
        {
            Error(column, $"{text} is out of range {Format(min)}..{Format(max)}");
            return null;
        }
        return value;
    }

    public double RequiredNumber(string column, double min, double max)
    {
        if (Text(column) is null)
        {
            Error(column, "a value is required");
            return double.NaN;
        }
        return Number(column, min, max) ?? double.NaN;
    }

    public int? Integer(string column, int min, int max)
    {
        var text = Text(column)?.Trim();
        if (text is null || text.Length == 0)
            return null;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Error(column, $"'{text}' is not a whole number");
            return null;
        }
        if (value < min || value > max)
        {
            Error(column, $"{text} is out of range {min}..{max}");
            return null;
        }
        return value;
    }

    public int RequiredInteger(string column, int min, int max)
    {
        if (Text(column) is null)
        {
            Error(column, "a value is required");
            return 0;
        }
        return Integer(column, min, max) ?? 0;
    }

    /// <summary>One of the allowed words (case-insensitive), or null when empty.</summary>
    public T? Choice<T>(string column, IReadOnlyDictionary<string, T> allowed)
        where T : struct
    {
        var text = Text(column)?.Trim();
        if (text is null || text.Length == 0)
            return null;
        if (allowed.TryGetValue(text.ToLowerInvariant(), out var value))
            return value;
        Error(column, $"'{text}' is not one of {string.Join(", ", allowed.Keys)}");
        return null;
    }

    /// <summary>A ';'-separated list; entries trimmed, empty entries dropped.</summary>
    public IReadOnlyList<string> List(string column) =>
        Text(column)?.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];

    private static string Format(double x) => x.ToString(CultureInfo.InvariantCulture);
}

internal static class CsvParsing
{
    /// <summary>
    /// Reads the header and hands each data row to <paramref name="parse"/>; rows with a wrong number of fields
    /// are rejected before parsing.
    /// </summary>
    public static IEnumerable<T> Rows<T>(Stream stream, CsvSchema schema, List<CsvError> errors, Func<CsvRow, T> parse)
    {
        var tokenizer = new CsvTokenizer(stream, errors);
        using var records = tokenizer.Records().GetEnumerator();
        var errorsBefore = errors.Count;
        RawRecord? header = records.MoveNext() ? records.Current : null;
        if (errors.Count > errorsBefore)
        {
            // The header (or the file) could not be read, e.g. UTF-16 or invalid UTF-8 on line 1; the error says it.
            if (header is not null)
                errors.Add(new CsvError(header.Value.Line, null, "the header could not be read, so the file was not imported"));
            yield break;
        }
        var columns = schema.ReadHeader(header, errors);
        if (columns is null)
            yield break;
        var width = columns.Values.Max() + 1;
        while (records.MoveNext())
        {
            var record = records.Current;
            if (record.Fields.Length != width)
            {
                errors.Add(new CsvError(record.Line, null, $"expected {width} fields as in the header, found {record.Fields.Length}"));
                continue;
            }
            yield return parse(new CsvRow(columns, record, errors));
        }
    }
}
