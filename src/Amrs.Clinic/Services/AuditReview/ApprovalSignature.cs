using Amrs.Core.Audit;

namespace Amrs.Clinic.Services.AuditReview;

/// <summary>
/// The signature an approval entry carries (21 CFR 11.50: printed name, date and time, meaning). Read from the
/// entry's details where the approval feature put them (<c>signerPrintedName, signerRole, signedAt, meaning,
/// bindingHash</c>, as in <c>ApprovalRecord</c>); what is missing falls back to the entry's actor and time, and
/// <see cref="FromDetails"/> says whether the details named the signer at all.
/// </summary>
public sealed record ApprovalSignature(
    long Sequence,
    string PrintedName,
    string Role,
    string SignedAt,
    string Meaning,
    string Playlist,
    string? PatientId,
    string? BindingHash,
    bool FromDetails)
{
    public static ApprovalSignature From(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string? Detail(string name) => AuditDetailFields.Text(entry.Details, name);
        var name = Detail("signerPrintedName");
        return new ApprovalSignature(
            entry.Sequence,
            name ?? entry.ActorName,
            Detail("signerRole") ?? entry.ActorRole,
            Detail("signedAt") ?? AuditTimes.Format(entry.RecordedAt),
            Detail("meaning") ?? "(not recorded)",
            Detail("playlistId") ?? entry.EntityId,
            Detail("patientId") ?? entry.PatientId,
            Detail("bindingHash"),
            name is not null);
    }
}

/// <summary>A guard refusal as the auditor reads it: which check, which rule, why.</summary>
public sealed record GuardRefusal(long Sequence, string RecordedAt, string Actor, string Check, string Rule, string Reason, string? PatientId)
{
    public static GuardRefusal From(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string Detail(string name) => AuditDetailFields.Text(entry.Details, name) ?? "(not recorded)";
        return new GuardRefusal(entry.Sequence, AuditTimes.Format(entry.RecordedAt), entry.ActorName,
            Detail("check"), Detail("rule"), Detail("reason"), entry.PatientId);
    }
}

/// <summary>Instants as the console shows them: UTC, to the second, with the zone written out.</summary>
public static class AuditTimes
{
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
