using System.Text.Json;

namespace Amrs.Clinic.Services.AuditReview;

/// <summary>One particular of an entry's details, flattened for display: <c>firstBreak.reason</c> = "...".</summary>
public sealed record AuditDetailField(string Name, string Value);

/// <summary>
/// Turns an entry's details JSON into name/value rows for the auditor, showing whatever is there (nested objects as
/// dotted names, arrays joined), without assuming which feature wrote it. Text that is not a JSON object is shown whole.
/// </summary>
public static class AuditDetailFields
{
    public static IReadOnlyList<AuditDetailField> From(string details)
    {
        var fields = new List<AuditDetailField>();
        try
        {
            using var document = JsonDocument.Parse(details);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return [new AuditDetailField("(details)", details)];
            Flatten(document.RootElement, "", fields);
        }
        catch (JsonException)
        {
            return [new AuditDetailField("(details)", details)];
        }
        return fields;
    }

    /// <summary>The value of one top-level text (or number) property, or null when it is absent.</summary>
    public static string? Text(string details, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(details);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var value)
                ? Scalar(value)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Flatten(JsonElement element, string prefix, List<AuditDetailField> fields)
    {
        foreach (var property in element.EnumerateObject())
        {
            var name = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
            if (property.Value.ValueKind == JsonValueKind.Object && property.Value.EnumerateObject().Any())
                Flatten(property.Value, name, fields);
            else
                fields.Add(new AuditDetailField(name, Scalar(property.Value) ?? "(none)"));
        }
    }

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(v => Scalar(v) ?? "(none)")),
        _ => value.GetRawText(),
    };
}
