namespace Amrs.Core.Import;

/// <summary>One rejected row (or header, or file): where, which column, and why, in words for the user.</summary>
public sealed record CsvError(int Line, string? Column, string Message)
{
    public override string ToString() =>
        Column is null ? $"line {Line}: {Message}" : $"line {Line}, column '{Column}': {Message}";
}

/// <summary>A value read from a CSV file with the (1-based, physical) line its row starts on.</summary>
public readonly record struct CsvRecord<T>(int Line, T Value);

/// <summary>
/// What a reader produced: the accepted rows and every error. A caller importing clinical data should refuse the
/// whole file when <see cref="IsValid"/> is false rather than import the accepted part.
/// </summary>
public sealed record CsvReadResult<T>(IReadOnlyList<CsvRecord<T>> Records, IReadOnlyList<CsvError> Errors)
{
    private IReadOnlyList<T>? _values;

    public bool IsValid => Errors.Count == 0;

    public IReadOnlyList<T> Values => _values ??= Records.Select(r => r.Value).ToArray();
}
