using Amrs.Core.Catalog;

namespace Amrs.Core.Import;

/// <summary>
/// The catalog CSV: <c>track_id,title,artist,valence,arousal</c> required; <c>year, genre, duration_seconds,
/// energy, tempo, acousticness, instrumentalness, danceability, loudness, mode</c> optional. UTF-8, RFC 4180.
/// A missing optional column or empty cell reads as null (never invented); a track whose descriptor cells are
/// all empty has <see cref="Track.Audio"/> null.
/// </summary>
public static class CatalogCsv
{
    public static readonly IReadOnlyList<string> RequiredColumns = ["track_id", "title", "artist", "valence", "arousal"];

    public static readonly IReadOnlyList<string> OptionalColumns =
        ["year", "genre", "duration_seconds", "energy", "tempo", "acousticness", "instrumentalness", "danceability", "loudness", "mode"];

    private static readonly CsvSchema _schema = new(RequiredColumns, OptionalColumns);

    public static CsvReadResult<Track> Read(Stream stream)
    {
        var errors = new List<CsvError>();
        var records = ReadStreaming(stream, errors).ToList();
        return new CsvReadResult<Track>(records, errors);
    }

    /// <summary>Streams accepted rows; errors are added to <paramref name="errors"/> as rows are read.</summary>
    public static IEnumerable<CsvRecord<Track>> ReadStreaming(Stream stream, List<CsvError> errors)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in CsvParsing.Rows(stream, _schema, errors, r => r))
        {
            var track = Parse(row);
            if (!row.HasErrors && !seen.TryAdd(track.TrackId, row.Line))
                row.Error("track_id", $"duplicate id '{track.TrackId}' (first on line {seen[track.TrackId]})");
            if (!row.HasErrors)
                yield return new CsvRecord<Track>(row.Line, track);
        }
    }

    private static Track Parse(CsvRow row)
    {
        var id = row.Id("track_id");
        var title = row.RequiredText("title");
        var artist = row.RequiredText("artist");
        var valence = row.RequiredNumber("valence", 0, 1);
        var arousal = row.RequiredNumber("arousal", 0, 1);
        var year = row.Integer("year", 1000, 2100);
        var genre = row.Text("genre");
        var duration = row.Number("duration_seconds", 1, 24 * 3600);
        var audio = new AudioDescriptors(
            Energy: row.Number("energy", 0, 1),
            Tempo: row.Number("tempo", 1, 400),
            Acousticness: row.Number("acousticness", 0, 1),
            Instrumentalness: row.Number("instrumentalness", 0, 1),
            Danceability: row.Number("danceability", 0, 1),
            Loudness: row.Number("loudness", -80, 10),
            Mode: row.Integer("mode", 0, 1));
        return new Track(id, title, artist, valence, arousal, year, genre, duration,
            audio == AudioDescriptors.Unknown ? null : audio);
    }

    public static void Write(Stream stream, IEnumerable<Track> tracks)
    {
        using var writer = CsvWriting.Writer(stream);
        Write(writer, tracks);
    }

    public static void Write(TextWriter writer, IEnumerable<Track> tracks)
    {
        CsvWriting.WriteRow(writer, [.. RequiredColumns, .. OptionalColumns]);
        foreach (var t in tracks)
        {
            var a = t.Audio ?? AudioDescriptors.Unknown;
            CsvWriting.WriteRow(writer,
            [
                t.TrackId, t.Title, t.Artist, CsvWriting.Number(t.Valence), CsvWriting.Number(t.Arousal),
                CsvWriting.Number(t.Year), t.Genre, CsvWriting.Number(t.DurationSeconds),
                CsvWriting.Number(a.Energy), CsvWriting.Number(a.Tempo), CsvWriting.Number(a.Acousticness),
                CsvWriting.Number(a.Instrumentalness), CsvWriting.Number(a.Danceability), CsvWriting.Number(a.Loudness),
                CsvWriting.Number(a.Mode),
            ]);
        }
    }
}
