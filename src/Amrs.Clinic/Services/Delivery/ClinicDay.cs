namespace Amrs.Clinic.Services.Delivery;

/// <summary>
/// "Today" in the clinic: the calendar day of the server's local time zone (<see cref="TimeProvider.LocalTimeZone"/>;
/// a server set to UTC gives UTC days). Returns the day's bounds as instants, for comparing stored times.
/// </summary>
public static class ClinicDay
{
    public static (DateTimeOffset Start, DateTimeOffset End) Bounds(DateTimeOffset now, TimeZoneInfo zone)
    {
        var localDate = TimeZoneInfo.ConvertTime(now, zone).Date;
        var nextDate = localDate.AddDays(1);
        return (new DateTimeOffset(localDate, zone.GetUtcOffset(localDate)), new DateTimeOffset(nextDate, zone.GetUtcOffset(nextDate)));
    }
}
