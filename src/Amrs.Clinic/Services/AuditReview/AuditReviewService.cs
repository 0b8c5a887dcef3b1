using Amrs.Clinic.Security;
using Amrs.Core.Audit;
using Amrs.Core.Security;
using Amrs.Data;
using Amrs.Data.Audit;
using Amrs.Data.Audit.Review;
using Microsoft.EntityFrameworkCore;

namespace Amrs.Clinic.Services.AuditReview;

/// <inheritdoc cref="IAuditReviewService"/>
public sealed class AuditReviewService(
    CurrentUser currentUser,
    AuditTrailReader reader,
    AuditLog auditLog,
    IDbContextFactory<ClinicDbContext> contexts,
    TimeProvider clock) : IAuditReviewService
{
    public async Task<AuditPage> PageAsync(AuditPageRequest request, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Policies.AuditReview);
        return await reader.PageAsync(request, cancellationToken);
    }

    public async Task<AuditEntry?> GetAsync(long sequence, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Policies.AuditReview);
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

    public async Task<AuditPage> ApprovalsAsync(AuditFilter range, long? olderThan = null, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Policies.AuditReview);
        return await reader.PageAsync(new AuditPageRequest(range with { Action = AuditActions.PlaylistApproved }, olderThan), cancellationToken);
    }

    public async Task<AuditPage> RefusalsAsync(AuditFilter range, long? olderThan = null, CancellationToken cancellationToken = default)
    {
        await currentUser.RequireAsync(Policies.AuditReview);
        return await reader.PageAsync(new AuditPageRequest(range with { Action = AuditActions.GuardRefused }, olderThan), cancellationToken);
    }

    public async Task<ChainCheck> VerifyChainAsync(CancellationToken cancellationToken = default)
    {
        var actor = await currentUser.RequireAsync(Policies.AuditReview);
        var result = await reader.VerifyAsync(cancellationToken);
        var broken = result.FirstBreak;
        var details = AuditDetails.Of(new
        {
            intact = result.IsIntact,
            verifiedCount = result.VerifiedCount,
            headSequence = result.Head.Sequence,
            headHash = result.Head.Hash,
            firstBreak = broken is null ? null : new { sequence = broken.Sequence, position = broken.Position, fault = broken.Fault.ToString(), reason = broken.Reason },
        });
        // A broken chain is recorded as a failure so that it stands out in the trail.
        var recorded = await auditLog.AppendAsync(Draft(actor, AuditActions.AuditVerified,
            result.IsIntact ? AuditOutcome.Success : AuditOutcome.Failure, details));
        return new ChainCheck(result, recorded[0].Sequence);
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
        await currentUser.RequireAsync(Policies.AuditReview);
        return await reader.MonthlyReportAsync(year, month, cancellationToken);
    }

    private AuditDraft Draft(Actor actor, string action, AuditOutcome outcome, string details) =>
        new(clock.GetUtcNow(), actor.UserId, actor.FullName, actor.Role, action, AuditEntityTypes.AuditTrail, "", null, outcome, details);
}
