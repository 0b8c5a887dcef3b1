using Amrs.Clinic.Services;

namespace Amrs.Clinic.Tests.Services;

/// <summary>
/// The clinic's calendar west and east of UTC: a list scheduled for a date holds from that date's local midnight,
/// which lies inside "today" on that date and outside it on the day before (it once started at UTC midnight, so west of
/// UTC a list showed up and could start the evening before).
/// </summary>
public sealed class ClinicDayTests
{
    private static readonly TimeZoneInfo West = TimeZoneInfo.CreateCustomTimeZone("test-west", TimeSpan.FromHours(-5), "UTC-5", "UTC-5");
    private static readonly TimeZoneInfo East = TimeZoneInfo.CreateCustomTimeZone("test-east", TimeSpan.FromHours(10), "UTC+10", "UTC+10");
    private static readonly DateOnly December8 = new(2026, 12, 8);

    [Fact]
    public void A_scheduled_date_starts_at_local_midnight()
    {
        Assert.Equal(new DateTimeOffset(2026, 12, 8, 5, 0, 0, TimeSpan.Zero), ClinicDay.StartOf(December8, West));
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 14, 0, 0, TimeSpan.Zero), ClinicDay.StartOf(December8, East));
    }

    [Fact]
    public void Today_is_the_local_date_and_a_list_for_tomorrow_lies_outside_it()
    {
        var eveningOfThe7thInTheWest = new DateTimeOffset(2026, 12, 8, 1, 0, 0, TimeSpan.Zero); // 20:00 on 7 December, UTC-5

        var (start, end) = ClinicDay.Bounds(eveningOfThe7thInTheWest, West);

        Assert.Equal(new DateOnly(2026, 12, 7), ClinicDay.Today(eveningOfThe7thInTheWest, West));
        Assert.Equal(ClinicDay.StartOf(new DateOnly(2026, 12, 7), West), start);
        Assert.Equal(ClinicDay.StartOf(December8, West), end); // the list for 8 December begins where today ends
    }

    [Fact]
    public void Early_morning_east_of_utc_is_already_the_local_date()
    {
        var morningOfThe8thInTheEast = new DateTimeOffset(2026, 12, 7, 21, 0, 0, TimeSpan.Zero); // 07:00 on 8 December, UTC+10

        var (start, end) = ClinicDay.Bounds(morningOfThe8thInTheEast, East);

        Assert.Equal(December8, ClinicDay.Today(morningOfThe8thInTheEast, East));
        Assert.True(start <= ClinicDay.StartOf(December8, East) && ClinicDay.StartOf(December8, East) < end);
    }
}
