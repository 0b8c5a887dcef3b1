using System.Text.Json;
using Amrs.Core.Catalog;

namespace Amrs.Cli.Evaluation.WorldModel;

/// <summary>
/// Real songs with human valence and arousal ratings, read from a JSON array of
/// <c>{"id": 1, "title": "...", "artist": "...", "v": 0.57, "a": 0.40}</c> (the PMEmo dataset's static annotations,
/// docs/data/scatter.json). They become tracks as an import of such a list would make them: title, artist and
/// affect known, everything else (year, genre, audio descriptors) unknown.
/// </summary>
public static class RealSongs
{
    public const string IdPrefix = "real:";

    public static IReadOnlyList<Track> Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No real-song file at '{path}'.", path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not valid JSON: {e.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"'{path}' must hold a JSON array of songs.");
            var tracks = new List<Track>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var song in document.RootElement.EnumerateArray())
            {
                var where = $"'{path}', song {index}";
                var id = Required(song, "id", where).ToString();
                where = $"'{path}', song {index} (id {id})";
                var title = Required(song, "title", where).GetString() ?? "";
                var artist = Required(song, "artist", where).GetString() ?? "";
                var valence = Rating(song, "v", where);
                var arousal = Rating(song, "a", where);
                if (!ids.Add(id)) throw new InvalidDataException($"{where}: the id is used twice.");
                tracks.Add(new Track(IdPrefix + id, title, artist, valence, arousal));
                index++;
            }
            if (tracks.Count == 0) throw new InvalidDataException($"'{path}' holds no songs.");
            return tracks;
        }
    }

    private static JsonElement Required(JsonElement song, string name, string where) =>
        song.ValueKind == JsonValueKind.Object && song.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new InvalidDataException($"{where}: '{name}' is missing.");

    private static double Rating(JsonElement song, string name, string where)
    {
        var value = Required(song, name, where);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var rating))
            throw new InvalidDataException($"{where}: '{name}' must be a number.");
        if (rating is < 0 or > 1 || !double.IsFinite(rating))
            throw new InvalidDataException($"{where}: '{name}' is {rating}, outside 0..1.");
        return rating;
    }
}
