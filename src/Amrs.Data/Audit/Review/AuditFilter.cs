using Amrs.Core.Audit;

namespace Amrs.Data.Audit.Review;

/// <summary>
/// Which entries an auditor is looking at. Every criterion is optional; they combine with AND. The time range is
/// half-open, <c>[From, To)</c>, so consecutive ranges (months, days) never count an entry twice.
/// </summary>
public sealed record AuditFilter(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? ActorId = null,
    string? PatientId = null,
    string? Action = null,
    AuditOutcome? Outcome = null)
{
    public static AuditFilter All { get; } = new();

    /// <summary>The filter with blank text criteria treated as absent and surrounding spaces removed.</summary>
    public AuditFilter Normalised() => this with
    {
        ActorId = Blank(ActorId),
        PatientId = Blank(PatientId),
        Action = Blank(Action),
    };

    /// <summary>The filter as it is recorded in an audit entry's details (for exports).</summary>
    public object ToDetails() => new
    {
        from = From?.ToUniversalTime(),
        to = To?.ToUniversalTime(),
        actorId = ActorId,
        patientId = PatientId,
        action = Action,
        outcome = Outcome?.ToString(),
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The filter as SQL. Each criterion is a plain comparison on an indexed column (or the outcome), so the database can use its indexes.</summary>
public static class AuditFilterQuery
{
    public static IQueryable<AuditEntry> Matching(this IQueryable<AuditEntry> entries, AuditFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var f = filter.Normalised();
        // RecordedAt is stored as Unix milliseconds; the value converter turns these comparisons into integer ones.
        if (f.From is { } from) entries = entries.Where(e => e.RecordedAt >= from);
        if (f.To is { } to) entries = entries.Where(e => e.RecordedAt < to);
        if (f.ActorId is { } actor) entries = entries.Where(e => e.ActorId == actor);
        if (f.PatientId is { } patient) entries = entries.Where(e => e.PatientId == patient);
        if (f.Action is { } action) entries = entries.Where(e => e.Action == action);
        if (f.Outcome is { } outcome) entries = entries.Where(e => e.Outcome == outcome);
        return entries;
    }
}
