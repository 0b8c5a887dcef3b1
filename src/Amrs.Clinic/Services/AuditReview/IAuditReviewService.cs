using Amrs.Core.Audit;
using Amrs.Data.Audit.Anchors;
using Amrs.Data.Audit.Review;

namespace Amrs.Clinic.Services.AuditReview;

/// <summary>
/// What an auditor can do with the trail: read it, verify it, export it, count a month from it. Nothing here
/// changes or removes an entry; reading, verifying and exporting only add their own entries (a list is recorded once
/// per filter, not per page). Every method checks the AuditReview policy on the server and refuses anyone else with
/// an <c>AccessDeniedException</c>.
/// </summary>
public interface IAuditReviewService
{
    /// <summary>A page of entries matching the filter, newest first.</summary>
    Task<AuditPage> PageAsync(AuditPageRequest request, CancellationToken cancellationToken = default);

    /// <summary>One entry, or null if there is none with that sequence.</summary>
    Task<AuditEntry?> GetAsync(long sequence, CancellationToken cancellationToken = default);

    /// <summary>The people (and the system) who can appear as actors, for the actor filter.</summary>
    Task<IReadOnlyList<AuditActorChoice>> ActorsAsync(CancellationToken cancellationToken = default);

    /// <summary>Playlist approvals (with the signatures their details carry) in a time range, newest first.</summary>
    Task<AuditPage> ApprovalsAsync(AuditFilter range, long? olderThan = null, CancellationToken cancellationToken = default);

    /// <summary>Ethics guard refusals in a time range, newest first.</summary>
    Task<AuditPage> RefusalsAsync(AuditFilter range, long? olderThan = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Verifies the whole chain from the database, holds it against the anchors kept outside it, and records the
    /// verification and its result in the trail. An intact check anchors the head it recorded.
    /// </summary>
    Task<ChainCheck> VerifyChainAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records an export of the filtered entries (format and filter) and returns it, ready to stream. The export
    /// covers the entries up to the moment it was recorded.
    /// </summary>
    Task<AuditExport> ExportAsync(AuditFilter filter, AuditExportFormat format, CancellationToken cancellationToken = default);

    /// <summary>Approvals per clinician, sessions delivered and stopped, guard refusals, for one calendar month (UTC).</summary>
    Task<AuditMonthlyReport> MonthlyReportAsync(int year, int month, CancellationToken cancellationToken = default);
}

/// <summary>Someone who can appear as the actor of an entry.</summary>
public sealed record AuditActorChoice(string ActorId, string Name);

/// <summary>
/// The result of a verification: the chain's own check, the check against the anchors, the entry that records both,
/// and whether that entry was anchored (false when the check failed, or the anchor file could not be written).
/// </summary>
public sealed record ChainCheck(AuditChainVerification Verification, AuditAnchorCheck Anchors, long RecordedAsSequence, bool Anchored)
{
    public bool IsIntact => Verification.IsIntact && Anchors.Holds;
}
