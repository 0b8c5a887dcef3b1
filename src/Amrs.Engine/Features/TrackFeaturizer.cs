using Amrs.Core.Catalog;

namespace Amrs.Engine.Features;

/// <summary>
/// A fixed-size float vector per track from its descriptors. Every optional descriptor has a "known" flag
/// (1 = present, 0 = missing, value then 0), because imported catalogs often lack them.
/// Layout: valence, arousal | year, year known | log duration, duration known | genre buckets, genre known |
/// seven audio descriptors | their seven known flags.
/// </summary>
public sealed class TrackFeaturizer(FeatureSpec spec)
{
    private const int AudioCount = 7;

    /// <summary>Where the genre buckets start in a track's features.</summary>
    public const int GenreOffset = 6;

    /// <summary>Where the standardised year sits in a track's features.</summary>
    public const int YearOffset = 2;

    public FeatureSpec Spec { get; } = spec;

    public int Size => 2 + 2 + 2 + Spec.GenreBuckets + 1 + 2 * AudioCount;

    public float[] Encode(Track track)
    {
        var features = new float[Size];
        Encode(track, features);
        return features;
    }

    public void Encode(Track track, Span<float> into)
    {
        if (into.Length != Size)
            throw new ArgumentException($"Expected a span of {Size} floats, got {into.Length}.", nameof(into));
        into.Clear();
        var i = 0;
        into[i++] = (float)track.Valence;
        into[i++] = (float)track.Arousal;

        if (track.Year is { } year)
        {
            into[i] = (float)((year - Spec.YearMean) / Spec.YearStd);
            into[i + 1] = 1;
        }
        i += 2;

        if (track.DurationSeconds is { } duration && duration > 0)
        {
            into[i] = (float)((Math.Log(duration) - Spec.LogDurationMean) / Spec.LogDurationStd);
            into[i + 1] = 1;
        }
        i += 2;

        if (!string.IsNullOrWhiteSpace(track.Genre))
        {
            into[i + StableHash.Bucket(track.Genre, Spec.GenreBuckets)] = 1;
            into[i + Spec.GenreBuckets] = 1;
        }
        i += Spec.GenreBuckets + 1;

        var audio = track.AudioOrUnknown;
        // Tempo (BPM) and loudness (dB) are brought to roughly unit scale; the others are already 0..1.
        double?[] values =
        [
            audio.Energy,
            audio.Tempo is { } tempo ? (tempo - 120) / 30 : null,
            audio.Acousticness,
            audio.Instrumentalness,
            audio.Danceability,
            audio.Loudness is { } loudness ? (loudness + 10) / 5 : null,
            audio.Mode,
        ];
        for (var a = 0; a < AudioCount; a++)
        {
            if (values[a] is not { } value) continue;
            into[i + a] = (float)value;
            into[i + AudioCount + a] = 1;
        }
    }
}
