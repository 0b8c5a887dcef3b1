using Amrs.Core.Catalog;

namespace Amrs.Simulation.Catalog;

/// <summary>
/// Generates the music catalog. Each track draws its genre (by weight), then year, affect and descriptors from
/// the genre's profile. Descriptors follow the affect as in real music:
/// energy ~ 0.1 + 0.8 arousal, tempo ~ 62 + 105 arousal BPM, loudness ~ -26 + 21 energy dB,
/// acousticness ~ 0.95 - 0.9 energy + genre bias, danceability ~ 0.15 + 0.45 valence + 0.25 arousal + genre
/// bias, P(major) = sigmoid(5 (valence - 0.5) + 0.3); each with a little noise, clamped to its scale.
/// </summary>
public static class CatalogGenerator
{
    public const int FirstYear = 1930;
    public const int LastYear = 2025;

    public static IReadOnlyList<Track> Generate(WorldConfig config)
    {
        var tracks = new Track[config.TrackCount];
        Span<double> weights = stackalloc double[Genres.All.Count];
        for (var g = 0; g < weights.Length; g++)
            weights[g] = Genres.All[g].Weight;

        for (var i = 0; i < tracks.Length; i++)
        {
            // One stream per track: the first N tracks are the same in every catalog size.
            var rng = SimMath.Rng(config.Seed, "track", i);
            var genre = Genres.All[rng.PickWeighted(weights)];
            tracks[i] = MakeTrack(rng, $"T-{i + 1:D5}", genre);
        }
        return tracks;
    }

    private static Track MakeTrack(Random rng, string id, GenreProfile genre)
    {
        var year = (int)Math.Round(Math.Clamp(rng.Gaussian(genre.EraMean, genre.EraSd), FirstYear, LastYear));

        // Valence and arousal share a small positive correlation within a genre (upbeat songs tend to be happy).
        var shared = rng.Gaussian();
        var valence = Math.Clamp(genre.ValenceMean + 0.16 * (0.35 * shared + 0.94 * rng.Gaussian()), 0.02, 0.98);
        var arousal = Math.Clamp(genre.ArousalMean + 0.14 * (0.35 * shared + 0.94 * rng.Gaussian()), 0.02, 0.98);

        var energy = SimMath.Clamp01(0.10 + 0.80 * arousal + rng.Gaussian(0, 0.07));
        var tempo = Math.Clamp(62 + 105 * arousal + rng.Gaussian(0, 11), 40, 210);
        var loudness = Math.Clamp(-26 + 21 * energy + rng.Gaussian(0, 2.0), -40, -1);
        var acousticness = SimMath.Clamp01(0.95 - 0.90 * energy + genre.AcousticBias + rng.Gaussian(0, 0.10));
        var instrumentalness = SimMath.Clamp01(genre.InstrumentalMean + rng.Gaussian(0, 0.08));
        var danceability = SimMath.Clamp01(0.15 + 0.45 * valence + 0.25 * arousal + genre.DanceBias + rng.Gaussian(0, 0.08));
        var major = rng.NextDouble() < SimMath.Sigmoid(5 * (valence - 0.5) + 0.3) ? 1 : 0;
        var duration = Math.Clamp(rng.Gaussian(genre.DurationMean, genre.DurationMean * 0.2), 90, 900);

        return new Track(
            TrackId: id,
            Title: NameGenerator.Title(rng),
            Artist: NameGenerator.Artist(rng),
            Valence: Math.Round(valence, 3),
            Arousal: Math.Round(arousal, 3),
            Year: year,
            Genre: genre.Name,
            DurationSeconds: Math.Round(duration),
            Audio: new AudioDescriptors(
                Energy: Math.Round(energy, 3),
                Tempo: Math.Round(tempo, 1),
                Acousticness: Math.Round(acousticness, 3),
                Instrumentalness: Math.Round(instrumentalness, 3),
                Danceability: Math.Round(danceability, 3),
                Loudness: Math.Round(loudness, 2),
                Mode: major));
    }
}
