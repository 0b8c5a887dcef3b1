namespace Amrs.Data.Audit.Review;

/// <summary>
/// One month of clinical activity, counted from the audit trail itself (so it agrees with the trail by
/// construction, and works for any feature that writes its entries). Months are calendar months in UTC.
/// </summary>
/// <param name="From">The first instant of the month (inclusive).</param>
/// <param name="To">The first instant of the next month (exclusive).</param>
/// <param name="ApprovalsByClinician">Successful playlist approvals per signer, most first.</param>
/// <param name="SessionsDelivered">Successful <c>session.completed</c> entries.</param>
/// <param name="SessionsStopped">Successful <c>session.stopped</c> entries.</param>
/// <param name="GuardRefusals"><c>guard.refused</c> entries.</param>
/// <param name="RefusalsByRule">Guard refusals per rule named in their details ("(not given)" when absent), most first.</param>
public sealed record AuditMonthlyReport(
    int Year,
    int Month,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<ClinicianApprovals> ApprovalsByClinician,
    long SessionsDelivered,
    long SessionsStopped,
    long GuardRefusals,
    IReadOnlyList<RuleRefusals> RefusalsByRule)
{
    public long Approvals => ApprovalsByClinician.Sum(c => c.Approvals);

    /// <summary>The month's bounds; throws for a month that does not exist.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Bounds(int year, int month)
    {
        if (year is < 1971 or > 9998 || month is < 1 or > 12)
            throw new ArgumentOutOfRangeException(nameof(month), $"{year}-{month} is not a month the trail can hold.");
        var from = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero);
        return (from, from.AddMonths(1));
    }
}

public sealed record ClinicianApprovals(string ActorId, string ActorName, long Approvals);

public sealed record RuleRefusals(string Rule, long Refusals);
