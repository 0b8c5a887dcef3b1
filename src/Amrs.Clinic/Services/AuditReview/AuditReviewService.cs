using Amrs.Clinic.Security;
using Amrs.Core.Audit;
using Amrs.Core.Security;
using Amrs.Data;
using Amrs.Data.Audit;
using Amrs.Data.Audit.Anchors;
using Amrs.Data.Audit.Review;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Clinic.Services.AuditReview;

/// <inheritdoc cref="IAuditReviewService"/>
public sealed class AuditReviewService(
    CurrentUser currentUser,
    AuditTrailReader reader,
    AuditLog auditLog,
    AuditAnchors anchors,
    IDbContextFactory<ClinicDbContext> contexts,
    TimeProvider clock,
    ILogger<AuditReviewService> logger) : IAuditReviewService
{
    public async Task<AuditPage> PageAsync(AuditPageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var actor = await currentUser.RequireAsync(Policies.AuditReview);
        if (request.OlderThan is null) await RecordViewAsync(actor, new { view = "trail", filter = request.Filter.Normalised().ToDetails() });
        return await reader.PageAsync(request, cancellationToken);
    }

    public async Task<AuditEntry?> GetAsync(long sequence, CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.AuditReview);
        await RecordViewAsync(actor, new { view = "entry", sequence });
        return await reader.GetAsync(sequence, cancellationToken);
    }

    public async Task<IReadOnlyList<AuditActorChoice>> ActorsAsync(CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Policies.AuditReview);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var people = await db.Users.AsNoTracking()
            .OrderBy(u => u.FullName)
            .Select(u => new AuditActorChoice(u.Id, u.FullName + " (" + u.UserName + ")"))
            .ToListAsync(cancellationToken);
        return [.. people, new AuditActorChoice(AuditActors.SystemId, AuditActors.SystemName + " (system)"),
            new AuditActorChoice(AuditActors.UnknownUserId, "Unknown account (failed sign-ins)")];
    }

    public Task<AuditPage> ApprovalsAsync(AuditFilter range, long? olderThan = null, CancellationToken cancellationToken = default) =>
        RangeAsync("approvals", range with { Action = AuditActions.PlaylistApproved }, olderThan, cancellationToken);

    public Task<AuditPage> RefusalsAsync(AuditFilter range, long? olderThan = null, CancellationToken cancellationToken = default) =>
        RangeAsync("refusals", range with { Action = AuditActions.GuardRefused }, olderThan, cancellationToken);

    private async Task<AuditPage> RangeAsync(string view, AuditFilter filter, long? olderThan, CancellationToken cancellationToken)
    {
        var actor = await currentUser.RequireAsync(Policies.AuditReview);
        if (olderThan is null) await RecordViewAsync(actor, new { view, filter = filter.Normalised().ToDetails() });
        return await reader.PageAsync(new AuditPageRequest(filter, olderThan), cancellationToken);
    }

    public async Task<ChainCheck> VerifyChainAsync(CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.AuditReview);
        var result = await reader.VerifyAsync(cancellationToken);
        var anchored = await anchors.CheckAsync(cancellationToken);
        var broken = result.FirstBreak;
        var details = AuditDetails.Of(new
        {
            intact = result.IsIntact,
            verifiedCount = result.VerifiedCount,
            headSequence = result.Head.Sequence,
            headHash = result.Head.Hash,
            firstBreak = broken is null ? null : new { sequence = broken.Sequence, position = broken.Position, fault = broken.Fault.ToString(), reason = broken.Reason },
            anchors = new { file = anchored.File, holds = anchored.Holds, @checked = anchored.Checked, summary = anchored.Summary },
        });
        var intact = result.IsIntact && anchored.Holds;
        // A broken chain is recorded as a failure so that it stands out in the trail.
        var recorded = await auditLog.AppendAsync(Draft(actor, AuditActions.AuditVerified,
            intact ? AuditOutcome.Success : AuditOutcome.Failure, details));
        return new ChainCheck(result, anchored, recorded[0].Sequence, intact && await TryAnchorAsync(recorded[0].Head, cancellationToken));
    }

    /// <summary>Anchors a head just verified; a file that cannot be written is logged, and the auditor told.</summary>
    private async Task<bool> TryAnchorAsync(AuditChainHead head, CancellationToken cancellationToken)
    {
        try
        {
            await anchors.AnchorAsync(head, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogError(e, "Could not anchor the verified audit chain's head in {File}.", anchors.FilePath);
            return false;
        }
    }

    public async Task<AuditExport> ExportAsync(AuditFilter filter, AuditExportFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var actor = await currentUser.RequireAsync(Policies.AuditReview);
        filter = filter.Normalised();
        var recorded = await auditLog.AppendAsync(Draft(actor, AuditActions.Export, AuditOutcome.Success,
            AuditDetails.Of(new { format = format.ToString().ToLowerInvariant(), filter = filter.ToDetails() })));
        // The export stops just before its own entry: a fixed snapshot, whatever is appended while it streams.
        var entry = recorded[0];
        return new AuditExport(reader, filter, format, entry.Sequence - 1, entry.RecordedAt);
    }

    public async Task<AuditMonthlyReport> MonthlyReportAsync(int year, int month, CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.AuditReview);
        await RecordViewAsync(actor, new { view = "monthly report", year, month });
        return await reader.MonthlyReportAsync(year, month, cancellationToken);
    }

    /// <summary>
    /// Reading the trail is recorded too (it names patients): once per list shown with a new filter (not per page of
    /// it), once per entry opened, once per report.
    /// </summary>
    private Task RecordViewAsync<T>(Actor actor, T details) where T : notnull =>
        auditLog.AppendAsync(Draft(actor, AuditActions.AuditViewed, AuditOutcome.Success, AuditDetails.Of(details)));

    private AuditDraft Draft(Actor actor, string action, AuditOutcome outcome, string details) =>
        new(clock.GetUtcNow(), actor.UserId, actor.FullName, actor.Role, action, AuditEntityTypes.AuditTrail, "", null, outcome, details);
}
