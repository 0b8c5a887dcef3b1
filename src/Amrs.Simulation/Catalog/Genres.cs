namespace Amrs.Simulation.Catalog;

/// <summary>
/// A genre's typical sound: its era (recording years), affect centre, and descriptor leanings. Numbers are
/// plausible, not measured; what matters is that genres differ and descriptors co-vary as in real music.
/// </summary>
public sealed record GenreProfile(
    string Name,
    double Weight,
    double EraMean,
    double EraSd,
    double ValenceMean,
    double ArousalMean,
    double AcousticBias,
    double InstrumentalMean,
    double DanceBias,
    double DurationMean);

public static class Genres
{
    public static IReadOnlyList<GenreProfile> All { get; } =
    [
        new("Swing", 1.0, 1942, 7, 0.72, 0.62, 0.25, 0.35, 0.15, 190),
        new("Jazz", 1.2, 1958, 15, 0.58, 0.45, 0.25, 0.45, 0.00, 260),
        new("Blues", 0.8, 1955, 14, 0.38, 0.45, 0.15, 0.10, -0.05, 230),
        new("Classical", 1.3, 1965, 25, 0.50, 0.30, 0.45, 0.92, -0.25, 420),
        new("Country", 1.0, 1970, 17, 0.60, 0.50, 0.20, 0.03, 0.05, 200),
        new("Folk", 0.9, 1967, 14, 0.50, 0.33, 0.40, 0.08, -0.10, 215),
        new("Rock and Roll", 0.8, 1958, 5, 0.80, 0.78, -0.05, 0.03, 0.20, 155),
        new("Soul", 1.0, 1968, 8, 0.66, 0.55, 0.05, 0.03, 0.15, 200),
        new("Pop", 1.6, 1987, 19, 0.68, 0.60, -0.05, 0.02, 0.15, 215),
        new("Rock", 1.3, 1980, 13, 0.48, 0.76, -0.20, 0.05, -0.05, 250),
        new("Disco", 0.6, 1977, 3, 0.82, 0.78, -0.20, 0.05, 0.30, 290),
        new("Hip Hop", 0.8, 2006, 9, 0.55, 0.66, -0.20, 0.02, 0.25, 220),
        new("Electronic", 0.8, 2009, 8, 0.55, 0.72, -0.30, 0.55, 0.25, 300),
        new("Chanson", 0.7, 1957, 11, 0.45, 0.33, 0.35, 0.02, -0.10, 195),
        new("Gospel", 0.6, 1962, 18, 0.72, 0.58, 0.20, 0.02, 0.05, 235),
        new("Ambient", 0.6, 2002, 13, 0.52, 0.13, 0.15, 0.85, -0.30, 360),
        new("Show Tunes", 0.7, 1953, 11, 0.70, 0.50, 0.25, 0.05, 0.00, 185),
        new("Latin", 0.9, 1976, 20, 0.76, 0.66, 0.05, 0.05, 0.30, 225),
    ];

    private static readonly Dictionary<string, int> _index = All
        .Select((g, i) => (g.Name, i))
        .ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);

    /// <summary>Index of a genre in <see cref="All"/>, or -1 when the genre is not one of the simulator's.</summary>
    public static int IndexOf(string? genre) => genre is not null && _index.TryGetValue(genre, out var i) ? i : -1;
}
