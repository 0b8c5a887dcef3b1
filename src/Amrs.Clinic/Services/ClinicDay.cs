namespace Amrs.Clinic.Services;

/// <summary>
/// The clinic's calendar: days of the server's local time zone (<see cref="TimeProvider.LocalTimeZone"/>; a server
/// set to UTC gives UTC days). A playlist scheduled for a date holds from that date's local midnight, and "today"
/// on the care staff's list is the same local day, so the two always agree.
/// </summary>
public static class ClinicDay
{
    /// <summary>The clinic's date at <paramref name="now"/>.</summary>
    public static DateOnly Today(DateTimeOffset now, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).Date);

    /// <summary>The instant the clinic's <paramref name="date"/> begins (local midnight).</summary>
    public static DateTimeOffset StartOf(DateOnly date, TimeZoneInfo zone)
    {
        var midnight = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }

    /// <summary>The bounds of the clinic's day that contains <paramref name="now"/>, as instants, for comparing stored times.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Bounds(DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = Today(now, zone);
        return (StartOf(today, zone), StartOf(today.AddDays(1), zone));
    }
}
