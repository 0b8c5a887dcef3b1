using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amrs.Core.Audit;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Hl7.Fhir.Serialization;

namespace Amrs.Data.Audit.Export;

/// <summary>
/// Exports audit entries as a FHIR R4 Bundle (type collection) of AuditEvent resources, in sequence order.
/// Each AuditEvent carries: type and subtype (the clinic's action), the CRUDE action code, recorded, outcome and
/// outcomeDesc, one agent (the actor: id and printed name, role, requestor), the source (observer "AMRS Clinic"),
/// and entities: the patient's pseudonym when there is one, and the record acted on with details "sequence",
/// "hash", "previousHash" and "details" (the stored JSON), so the chain can be checked from the export. The
/// bundle's identifier is the last entry's hash, a trusted anchor for later verification.
/// </summary>
public static class AuditFhirExport
{
    public const string ObserverName = "AMRS Clinic";
    public const string ExportIdentifierSystem = "urn:amrs-clinic:audit-export-head";

    /// <summary>Builds the bundle in memory (for ranges that fit; use <see cref="WriteJsonAsync"/> for the whole trail).</summary>
    public static Bundle ToBundle(IEnumerable<AuditEntry> entries, DateTimeOffset exportedAt)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var bundle = Envelope(exportedAt);
        string? lastHash = null;
        foreach (var entry in entries)
        {
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = FullUrl(entry), Resource = ToAuditEvent(entry) });
            lastHash = entry.Hash;
        }
        bundle.Identifier = HeadIdentifier(lastHash);
        return bundle;
    }

    /// <summary>The bundle as FHIR JSON.</summary>
    public static string ToJson(IEnumerable<AuditEntry> entries, DateTimeOffset exportedAt, bool pretty = false) =>
        FhirJsonSerializer.Default.SerializeToString(ToBundle(entries, exportedAt), pretty);

    /// <summary>
    /// Streams the bundle as FHIR JSON to <paramref name="output"/> (left open), one AuditEvent at a time, so a
    /// trail of millions of entries never sits in memory. The identifier comes last, when the last hash is known.
    /// </summary>
    public static async System.Threading.Tasks.Task WriteJsonAsync(
        IAsyncEnumerable<AuditEntry> entries, Stream output, DateTimeOffset exportedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(output);
        var serializer = FhirJsonSerializer.Default;
        await using var writer = new Utf8JsonWriter(output);

        writer.WriteStartObject();
        writer.WriteString("resourceType", "Bundle");
        writer.WriteString("type", "collection");
        writer.WriteString("timestamp", Instant(exportedAt));
        writer.WriteStartArray("entry");
        string? lastHash = null;
        await foreach (var entry in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteString("fullUrl", FullUrl(entry));
            writer.WritePropertyName("resource");
            JsonSerializationExtensions.Serialize(serializer, ToAuditEvent(entry), writer, SummaryType.False);
            writer.WriteEndObject();
            lastHash = entry.Hash;
            if (writer.BytesPending > 64 * 1024)
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        writer.WriteEndArray();
        writer.WritePropertyName("identifier");
        JsonSerializationExtensions.Serialize(serializer, HeadIdentifier(lastHash), writer, SummaryType.False);
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One entry as an AuditEvent.</summary>
    public static AuditEvent ToAuditEvent(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var isSystem = entry.ActorId == AuditActors.SystemId;
        var auditEvent = new AuditEvent
        {
            Id = $"amrs-audit-{entry.Sequence.ToString(CultureInfo.InvariantCulture)}",
            Type = AuditFhirCodes.EventType(entry.Action),
            Subtype = [new Coding(AuditFhirCodes.ActionSystem, entry.Action)],
            Action = AuditFhirCodes.ActionCode(entry.Action),
            Recorded = entry.RecordedAt.ToUniversalTime(),
            Outcome = AuditFhirCodes.Outcome(entry.Outcome),
            OutcomeDesc = OutcomeDescription(entry),
            Agent =
            [
                new AuditEvent.AgentComponent
                {
                    Type = isSystem
                        ? new CodeableConcept(AuditFhirCodes.DicomSystem, "110150", "Application")
                        : new CodeableConcept(AuditFhirCodes.SecurityRoleTypeSystem, "humanuser", "human user"),
                    Role = [new CodeableConcept(AuditFhirCodes.RoleSystem, entry.ActorRole, entry.ActorRole)],
                    Who = new ResourceReference
                    {
                        Identifier = new Identifier(AuditFhirCodes.UserSystem, entry.ActorId),
                        Display = entry.ActorName,
                    },
                    Name = entry.ActorName,
                    Requestor = true,
                },
            ],
            Source = new AuditEvent.SourceComponent
            {
                Site = ObserverName,
                Observer = new ResourceReference { Display = ObserverName },
                Type = [new Coding(AuditFhirCodes.SourceTypeSystem, "4", "Application Server")],
            },
        };

        if (entry.PatientId is not null)
        {
            auditEvent.Entity.Add(new AuditEvent.EntityComponent
            {
                What = new ResourceReference { Identifier = new Identifier(AuditFhirCodes.PatientSystem, entry.PatientId) },
                Type = new Coding(AuditFhirCodes.EntityTypeSystem, "1", "Person"),
                Role = new Coding(AuditFhirCodes.ObjectRoleSystem, "1", "Patient"),
            });
        }

        auditEvent.Entity.Add(new AuditEvent.EntityComponent
        {
            What = new ResourceReference
            {
                Identifier = entry.EntityId.Length == 0
                    ? null
                    : new Identifier(AuditFhirCodes.RecordSystemPrefix + entry.EntityType, entry.EntityId),
                Display = entry.EntityId.Length == 0 ? entry.EntityType : $"{entry.EntityType}/{entry.EntityId}",
            },
            Type = new Coding(AuditFhirCodes.EntityTypeSystem, "2", "System Object"),
            Name = entry.EntityType,
            Detail =
            [
                Detail("sequence", entry.Sequence.ToString(CultureInfo.InvariantCulture)),
                Detail("hash", entry.Hash),
                Detail("previousHash", entry.PreviousHash),
                Detail("details", entry.Details),
            ],
        });
        return auditEvent;
    }

    private static Bundle Envelope(DateTimeOffset exportedAt) => new()
    {
        Type = Bundle.BundleType.Collection,
        // Whole milliseconds, as the streamed writer prints them, so both exports say the same.
        Timestamp = AuditChain.ToCanonicalTime(exportedAt),
    };

    private static Identifier HeadIdentifier(string? lastHash) =>
        new(ExportIdentifierSystem, lastHash ?? AuditChain.GenesisHash);

    private static AuditEvent.DetailComponent Detail(string type, string value) =>
        new() { Type = type, Value = new FhirString(value) };

    /// <summary>A stable urn:uuid per entry, derived from its hash, so re-exports name entries the same.</summary>
    private static string FullUrl(AuditEntry entry)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"amrs-audit-entry:{entry.Sequence}:{entry.Hash}"), digest);
        var bytes = digest[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8: custom, name-derived
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return "urn:uuid:" + new Guid(bytes, bigEndian: true).ToString("D");
    }

    private static string OutcomeDescription(AuditEntry entry)
    {
        var reason = ReasonFromDetails(entry.Details);
        var outcome = entry.Outcome switch
        {
            AuditOutcome.Success => "Success",
            AuditOutcome.Refused => "Refused",
            _ => "Failure",
        };
        return reason is null ? outcome : $"{outcome}: {reason}";
    }

    // Guard decisions and failures put their plain-words reason in a "reason" property of the details.
    private static string? ReasonFromDetails(string details)
    {
        try
        {
            using var document = JsonDocument.Parse(details);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("reason", out var reason)
                && reason.ValueKind == JsonValueKind.String
                    ? reason.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Instant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
