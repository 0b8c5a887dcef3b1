using Amrs.Data.Audit.Export;
using Amrs.Data.Audit.Review;

namespace Amrs.Clinic.Services.AuditReview;

public enum AuditExportFormat
{
    Csv,
    Fhir,
}

/// <summary>An export that has been recorded in the trail and can now be streamed (once or more; it is a fixed snapshot).</summary>
public sealed class AuditExport(AuditTrailReader reader, AuditFilter filter, AuditExportFormat format, long upToSequence, DateTimeOffset exportedAt)
{
    public AuditExportFormat Format => format;

    /// <summary>The last sequence the export can contain: the trail as it was when the export was recorded.</summary>
    public long UpToSequence => upToSequence;

    public string ContentType => format == AuditExportFormat.Csv ? "text/csv; charset=utf-8" : "application/fhir+json";

    public string FileName =>
        $"amrs-audit-{exportedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-to-{upToSequence}.{(format == AuditExportFormat.Csv ? "csv" : "fhir.json")}";

    public Task WriteAsync(Stream output, CancellationToken cancellationToken = default)
    {
        var entries = reader.StreamAsync(filter, upToSequence, cancellationToken);
        return format == AuditExportFormat.Csv
            ? AuditCsvExport.WriteAsync(entries, output, cancellationToken)
            : AuditFhirExport.WriteJsonAsync(entries, output, exportedAt, cancellationToken);
    }
}
