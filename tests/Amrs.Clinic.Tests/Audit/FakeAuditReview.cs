using Amrs.Clinic.Security;
using Amrs.Clinic.Services.AuditReview;
using Amrs.Core.Audit;
using Amrs.Data.Audit.Anchors;
using Amrs.Data.Audit.Review;

namespace Amrs.Clinic.Tests.Audit;

/// <summary>A review service that remembers what the pages asked and answers from a small sealed trail.</summary>
internal sealed class FakeAuditReview : IAuditReviewService
{
    public FakeAuditReview()
    {
        var at = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
        AuditEntry? previous = null;
        for (var i = 1; i <= 3; i++)
        {
            previous = AuditChain.Seal(new AuditDraft(at.AddMinutes(i), "u-1", "Dr. Ana Rossi", "Clinician", AuditActions.PlaylistApproved,
                AuditEntityTypes.Playlist, $"pl-{i}", "P-0007", AuditOutcome.Success,
                AuditDetails.Of(new { signerPrintedName = "Dr. Ana Rossi", meaning = "Approval", bindingHash = $"bind-{i}" })), previous);
            Trail.Insert(0, previous);
        }
    }

    public List<AuditEntry> Trail { get; } = [];
    public List<AuditPageRequest> PageRequests { get; } = [];
    public List<(int Year, int Month)> ReportRequests { get; } = [];
    public AuditChainVerification Verification { get; set; } = new(3, new AuditChainHead(3, AuditChain.GenesisHash), null);
    public AuditAnchorCheck Anchors { get; set; } = new("/data/clinic.audit-anchors.txt", 2, null, []);
    public int Verifications { get; private set; }

    public Task<AuditPage> PageAsync(AuditPageRequest request, CancellationToken cancellationToken = default)
    {
        PageRequests.Add(request);
        return Task.FromResult(new AuditPage(Trail, null, Trail.Count));
    }

    public Task<AuditEntry?> GetAsync(long sequence, CancellationToken cancellationToken = default) =>
        Task.FromResult(Trail.FirstOrDefault(e => e.Sequence == sequence));

    public Task<IReadOnlyList<AuditActorChoice>> ActorsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AuditActorChoice>>([new AuditActorChoice("u-1", "Dr. Ana Rossi (ana@amrs)")]);

    public Task<AuditPage> ApprovalsAsync(AuditFilter range, long? olderThan = null, CancellationToken cancellationToken = default) =>
        PageAsync(new AuditPageRequest(range with { Action = AuditActions.PlaylistApproved }, olderThan), cancellationToken);

    public Task<AuditPage> RefusalsAsync(AuditFilter range, long? olderThan = null, CancellationToken cancellationToken = default) =>
        PageAsync(new AuditPageRequest(range with { Action = AuditActions.GuardRefused }, olderThan), cancellationToken);

    public Task<ChainCheck> VerifyChainAsync(CancellationToken cancellationToken = default)
    {
        Verifications++;
        return Task.FromResult(new ChainCheck(Verification, Anchors, 99, Verification.IsIntact && Anchors.Holds));
    }

    public Task<AuditExport> ExportAsync(AuditFilter filter, AuditExportFormat format, CancellationToken cancellationToken = default) =>
        throw new AccessDeniedException("The pages download through the export endpoint, never through this call.");

    public Task<AuditMonthlyReport> MonthlyReportAsync(int year, int month, CancellationToken cancellationToken = default)
    {
        ReportRequests.Add((year, month));
        var (from, to) = AuditMonthlyReport.Bounds(year, month);
        return Task.FromResult(new AuditMonthlyReport(year, month, from, to, [new ClinicianApprovals("u-1", "Dr. Ana Rossi", 7)], 5, 2, 3,
            [new RuleRefusals("consent-required", 3)]));
    }
}
