using System.Globalization;
using Amrs.Core.Audit;
using Amrs.Data.Audit.Review;

namespace Amrs.Clinic.Services.AuditReview;

/// <summary>
/// The console's filter inputs as typed (times from <c>datetime-local</c> inputs, read as UTC; empty text meaning
/// "any"), turned into an <see cref="AuditFilter"/> or a message saying which input is wrong.
/// </summary>
public sealed class AuditFilterForm
{
    public const string LocalFormat = "yyyy-MM-dd'T'HH:mm";

    public string? From { get; set; }
    public string? To { get; set; }
    public string ActorId { get; set; } = "";
    public string PatientId { get; set; } = "";
    public string Action { get; set; } = "";
    public string Outcome { get; set; } = "";

    public bool TryBuild(out AuditFilter filter, out string? error)
    {
        filter = AuditFilter.All;
        error = null;
        if (!TryTime(From, out var from)) error = $"From: '{From}' is not a date and time.";
        else if (!TryTime(To, out var to)) error = $"To: '{To}' is not a date and time.";
        else if (from is not null && to is not null && to <= from) error = "To must be after From.";
        else if (Outcome.Length > 0 && !Enum.TryParse<AuditOutcome>(Outcome, out _)) error = $"Outcome: '{Outcome}' is not an outcome.";
        else
        {
            filter = new AuditFilter(from, to, ActorId, PatientId, Action,
                Outcome.Length > 0 ? Enum.Parse<AuditOutcome>(Outcome) : null).Normalised();
        }
        return error is null;
    }

    private static bool TryTime(string? text, out DateTimeOffset? instant)
    {
        instant = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        string[] formats = [LocalFormat, "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.fff"];
        if (!DateTime.TryParseExact(text.Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            return false;
        instant = new DateTimeOffset(parsed, TimeSpan.Zero);
        return true;
    }
}
