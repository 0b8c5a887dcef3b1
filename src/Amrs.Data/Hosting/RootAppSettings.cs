using System.Text.Json;
using Amrs.Data.Database;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Amrs.Data.Hosting;

/// <summary>
/// The one appsettings.json lives at the repository root and is copied beside every program's assembly. This
/// adds it where the host's own appsettings.json would be, so environment variables and the command line still
/// override it, and refuses a malformed file with its path, line and position.
/// </summary>
public static class RootAppSettings
{
    public const string FileName = "appsettings.json";

    public static void AddRootAppSettings(this IConfigurationManager configuration, string? folder = null)
    {
        folder ??= AppContext.BaseDirectory;
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            throw new ConfigurationException($"The configuration file '{path}' is missing. It is copied from the repository root at build time; rebuild the project.");
        Validate(path);

        var source = new JsonConfigurationSource
        {
            Path = FileName,
            Optional = false,
            ReloadOnChange = false,
            FileProvider = new PhysicalFileProvider(folder),
        };
        var sources = configuration.Sources;
        var hostFile = sources.Select((s, i) => (s, i)).FirstOrDefault(x => x.s is JsonConfigurationSource).i;
        var insertAt = sources.Any(s => s is JsonConfigurationSource) ? hostFile : 0;
        sources.Insert(insertAt, source);
    }

    /// <summary>Throws a <see cref="ConfigurationException"/> naming the file, line and position of a JSON error.</summary>
    public static void Validate(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ConfigurationException($"{path}: the top level must be a JSON object {{ ... }}.");
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var position = (e.BytePositionInLine ?? 0) + 1;
            throw new ConfigurationException($"{path} is not valid JSON: line {line}, position {position}: {FirstSentence(e.Message)}", e);
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
