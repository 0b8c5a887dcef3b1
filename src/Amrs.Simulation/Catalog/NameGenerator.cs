namespace Amrs.Simulation.Catalog;

/// <summary>Made-up but plausible titles and artist names, some with non-ASCII letters.</summary>
internal static class NameGenerator
{
    private static readonly string[] _adjectives =
    [
        "Blue", "Golden", "Quiet", "Little", "Silver", "Lonely", "Sweet", "Wild", "Velvet", "Midnight",
        "Summer", "Distant", "Gentle", "Crimson", "Early", "Last", "Bright", "Dancing", "Old", "Secret",
        "Café", "Señorita's", "Schöne", "Dernière", "Över",
    ];

    private static readonly string[] _nouns =
    [
        "River", "Moon", "Harbour", "Train", "Rose", "Heart", "Road", "Window", "Garden", "Letter",
        "Morning", "Waltz", "Lights", "Rain", "Valley", "Bridge", "Promise", "Sky", "Avenue", "Carousel",
        "Mañana", "Jardín", "Chanson", "Träume", "Fjärran", "Łąka", "Saudade",
    ];

    private static readonly string[] _patterns =
    [
        "{A} {N}", "The {A} {N}", "{N} of Mine", "Down by the {N}", "{A} {N} Blues", "When the {N} Comes",
        "{N}", "My {A} {N}", "{N} in {M}", "Goodbye, {A} {N}", "{N} (Live)", "{A} {N}, Part {P}",
    ];

    private static readonly string[] _months = ["June", "Paris", "Havana", "Autumn", "Lisbon", "Kraków", "São Paulo"];

    private static readonly string[] _firstNames =
    [
        "Ella", "Frank", "Nina", "Louis", "Rosa", "Walter", "Irene", "Marvin", "Dolores", "Henry", "Joan",
        "Otis", "Vera", "Sammy", "Lena", "Bobby", "Greta", "Ray", "Ruth", "Dean", "José", "Zoë", "Søren",
        "Agnès", "Björn", "Małgorzata", "Chloé", "Ígor", "Renée",
    ];

    private static readonly string[] _lastNames =
    [
        "Hartley", "Moreau", "Calloway", "Brennan", "Delacroix", "Whitfield", "Rivers", "Lindqvist", "Okafor",
        "Marlowe", "Castell", "Baxter", "Vance", "Sinclair", "Müller", "Nørgaard", "Peña", "Dvořák",
        "Ólafsdóttir", "Kowalczyk", "Fontaine", "Ashby", "Greco", "Takeda",
    ];

    private static readonly string[] _bandPatterns =
    [
        "{F} {L}", "{F} {L}", "{F} {L}", "The {L} Orchestra", "{L} & the {N}s", "The {A} {N}s", "{F} {L} Trio",
        "{L} Quartet", "{F} & {G}",
    ];

    public static string Title(Random rng) => Fill(rng, rng.Pick(_patterns));

    public static string Artist(Random rng) => Fill(rng, rng.Pick(_bandPatterns));

    private static string Fill(Random rng, string pattern) => pattern
        .Replace("{A}", rng.Pick(_adjectives), StringComparison.Ordinal)
        .Replace("{N}", rng.Pick(_nouns), StringComparison.Ordinal)
        .Replace("{M}", rng.Pick(_months), StringComparison.Ordinal)
        .Replace("{P}", (rng.Next(2, 4)).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{F}", rng.Pick(_firstNames), StringComparison.Ordinal)
        .Replace("{G}", rng.Pick(_firstNames), StringComparison.Ordinal)
        .Replace("{L}", rng.Pick(_lastNames), StringComparison.Ordinal);
}
