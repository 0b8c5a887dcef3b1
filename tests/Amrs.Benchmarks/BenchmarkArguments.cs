using System.Globalization;

namespace Amrs.Benchmarks;

/// <summary>The <c>--name value</c> and <c>--flag</c> options after the mode.</summary>
internal sealed class BenchmarkArguments
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    public static BenchmarkArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new BenchmarkArguments();
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"Expected an option (--name) but found '{args[i]}'.");
            var hasValue = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            parsed._values[args[i][2..]] = hasValue ? args[++i] : null;
        }
        return parsed;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Text(string name) => _values.GetValueOrDefault(name);

    public string RequiredText(string name) =>
        _values.GetValueOrDefault(name) ?? throw new ArgumentException($"--{name} is required.");

    public long Number(string name, long? fallback = null)
    {
        var text = _values.GetValueOrDefault(name);
        if (text is null)
            return fallback ?? throw new ArgumentException($"--{name} is required.");
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"--{name} must be a positive whole number, not '{text}'.");
    }
}
