using System.Globalization;

namespace Amrs.Clinic.Services.AuditReview;

/// <summary>Reads the value of a <c>month</c> input (<c>yyyy-MM</c>).</summary>
public static class ReportMonth
{
    public static bool TryParse(string? text, out int year, out int month)
    {
        year = month = 0;
        if (!DateTime.TryParseExact(text?.Trim(), "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            || parsed.Year is < 1971 or > 9998)
            return false;
        (year, month) = (parsed.Year, parsed.Month);
        return true;
    }
}
