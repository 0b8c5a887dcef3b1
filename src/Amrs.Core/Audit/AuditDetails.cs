using System.Text.Json;

namespace Amrs.Core.Audit;

/// <summary>Helpers for the <see cref="AuditDraft.Details"/> JSON object.</summary>
public static class AuditDetails
{
    public const string Empty = "{}";

    private static readonly JsonSerializerOptions _options = new(JsonSerializerDefaults.Web);

    /// <summary>Serialises an object (typically an anonymous one) to the details JSON, camelCase, culture-invariant.</summary>
    public static string Of<T>(T value) where T : notnull => JsonSerializer.Serialize(value, _options);

    /// <summary>Whether the text is a single JSON object, as <see cref="AuditChain.Seal(AuditDraft, AuditChainHead)"/> requires.</summary>
    public static bool IsJsonObject(string details)
    {
        try
        {
            using var document = JsonDocument.Parse(details);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
