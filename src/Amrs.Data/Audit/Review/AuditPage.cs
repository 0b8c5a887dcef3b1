using Amrs.Core.Audit;

namespace Amrs.Data.Audit.Review;

/// <summary>
/// A page of the trail, newest first, read with a cursor (keyset paging): the next page holds entries with a
/// sequence below <see cref="OlderThan"/>, so a page deep in a million entries costs the same as the first.
/// </summary>
/// <param name="Entries">The entries, newest first.</param>
/// <param name="OlderThan">The cursor for the next (older) page, or null when there is none.</param>
/// <param name="MatchCount">How many entries match the filter in all.</param>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long? OlderThan, long MatchCount)
{
    /// <summary>No entries (shown, for example, while the filter cannot be read).</summary>
    public static AuditPage Empty { get; } = new([], null, 0);
}

/// <summary>Which page to read: up to <see cref="PageSize"/> entries with a sequence below <see cref="OlderThan"/> (null: the newest).</summary>
public sealed record AuditPageRequest(AuditFilter Filter, long? OlderThan = null, int PageSize = AuditPageRequest.DefaultPageSize)
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 200;
}
