using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Amrs.Data.Configurations;

/// <summary>
/// Instants are stored as UTC milliseconds since 1970 (a bigint/INTEGER): ordered and compared in SQL on both
/// providers (SQLite cannot order DateTimeOffset text), and exactly what the audit hash covers.
/// </summary>
internal static class UnixMillisecondsConversion
{
    private static readonly ValueConverter<DateTimeOffset, long> Required =
        new(t => t.ToUnixTimeMilliseconds(), ms => DateTimeOffset.FromUnixTimeMilliseconds(ms));

    private static readonly ValueConverter<DateTimeOffset?, long?> Optional =
        new(t => t.HasValue ? t.Value.ToUnixTimeMilliseconds() : null, ms => ms.HasValue ? DateTimeOffset.FromUnixTimeMilliseconds(ms.Value) : null);

    public static PropertyBuilder<DateTimeOffset> AsUnixMilliseconds(this PropertyBuilder<DateTimeOffset> property) =>
        property.HasConversion(Required);

    public static PropertyBuilder<DateTimeOffset?> AsUnixMilliseconds(this PropertyBuilder<DateTimeOffset?> property) =>
        property.HasConversion(Optional);
}
