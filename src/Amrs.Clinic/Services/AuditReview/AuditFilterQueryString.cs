using System.Globalization;
using Amrs.Core.Audit;
using Amrs.Data.Audit.Review;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Amrs.Clinic.Services.AuditReview;

/// <summary>
/// A filter in a URL (<c>from, to, actor, patient, action, outcome</c>): how the console links its downloads and how
/// the export endpoint reads them back. Instants are ISO 8601 in UTC.
/// </summary>
public static class AuditFilterQueryString
{
    public static string Append(string path, AuditFilter filter, params (string Name, string Value)[] extra)
    {
        var f = filter.Normalised();
        var query = new List<KeyValuePair<string, string?>>(extra.Select(e => new KeyValuePair<string, string?>(e.Name, e.Value)));
        void Add(string name, string? value) { if (value is not null) query.Add(new(name, value)); }
        Add("from", f.From?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Add("to", f.To?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        Add("actor", f.ActorId);
        Add("patient", f.PatientId);
        Add("action", f.Action);
        Add("outcome", f.Outcome?.ToString());
        return QueryHelpers.AddQueryString(path, query);
    }

    /// <summary>Reads a filter; returns false with a message naming the bad parameter.</summary>
    public static bool TryParse(IReadOnlyDictionary<string, StringValues> query, out AuditFilter filter, out string? error)
    {
        filter = AuditFilter.All;
        error = null;
        string? Text(string name) => query.TryGetValue(name, out var v) && !StringValues.IsNullOrEmpty(v) ? v.ToString() : null;

        DateTimeOffset? from = null, to = null;
        if (Text("from") is { } fromText && !TryInstant(fromText, out from)) error = $"'from' is not an ISO 8601 instant: {fromText}";
        else if (Text("to") is { } toText && !TryInstant(toText, out to)) error = $"'to' is not an ISO 8601 instant: {toText}";
        AuditOutcome? outcome = null;
        if (error is null && Text("outcome") is { } outcomeText)
        {
            if (Enum.TryParse<AuditOutcome>(outcomeText, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)) outcome = parsed;
            else error = $"'outcome' must be one of {string.Join(", ", Enum.GetNames<AuditOutcome>())}, not {outcomeText}";
        }
        if (error is not null) return false;
        filter = new AuditFilter(from, to, Text("actor"), Text("patient"), Text("action"), outcome).Normalised();
        return true;
    }

    private static bool TryInstant(string text, out DateTimeOffset? instant)
    {
        var ok = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value);
        instant = ok ? value : null;
        return ok;
    }
}
