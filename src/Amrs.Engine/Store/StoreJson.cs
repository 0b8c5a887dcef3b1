using System.Text.Json;
using System.Text.Json.Serialization;

namespace Amrs.Engine.Store;

/// <summary>The one JSON style for model cards, manifests and model descriptions.</summary>
public static class StoreJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
