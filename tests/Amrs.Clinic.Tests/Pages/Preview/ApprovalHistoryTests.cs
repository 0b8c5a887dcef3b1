using Amrs.Clinic.Components.Pages.Preview;
using Amrs.Clinic.Services.Preview;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Ethics;
using Amrs.Core.Security;
using Amrs.Data.Care;
using Bunit;

namespace Amrs.Clinic.Tests.Pages.Preview;

/// <summary>The signed-decisions table: withdrawn lists read as withdrawn, and only a deliverable list offers withdrawal.</summary>
public sealed class ApprovalHistoryTests : ClinicComponentTest
{
    private static readonly DateTimeOffset Signed = new(2026, 12, 7, 9, 30, 0, TimeSpan.Zero);
    private readonly List<WithdrawalRequest> _requests = [];

    [Fact]
    public async Task The_responsible_clinician_withdraws_a_deliverable_list_with_password_meaning_and_reason()
    {
        SignInAs(Roles.Clinician);
        var open = Decision(ApprovalStatus.Approved);
        var cut = Render([new SignedDecision(open, null)], canWithdraw: true);

        await FindAndClickAsync(cut, () => cut.FindAll("button").Single(b => b.TextContent.Contains("Withdraw", StringComparison.Ordinal)));
        cut.Find("#withdraw-reason").Change("Family asked to pause");
        cut.Find("#withdraw-password").Change("secret");
        cut.Find("#withdraw-meaning").Change(true);
        await FindAndClickAsync(cut, () => cut.FindAll("button").Single(b => b.TextContent.Contains("Withdraw and sign", StringComparison.Ordinal)));

        Assert.Equal(new WithdrawalRequest(open.Id, "secret", true, "Family asked to pause"), _requests.Single());
        Assert.Empty(cut.FindAll("[data-testid=withdraw-form]")); // closed after it succeeded
    }

    [Fact]
    public void A_withdrawn_or_rejected_list_reads_as_such_and_offers_no_withdrawal()
    {
        SignInAs(Roles.Clinician);
        var approved = Decision(ApprovalStatus.Approved);
        var revocation = new ApprovalRevocationEntity
        {
            Id = Guid.NewGuid(), ApprovalId = approved.Id, PatientId = approved.PatientId, RevokedByUserId = "u-2",
            RevokedByPrintedName = "Dr. Lee", RevokedByRole = Roles.Clinician, RevokedAt = Signed.AddHours(2),
            Meaning = SignatureMeanings.Revocation, Reason = "Agitated after lunch",
        };
        var cut = Render([new SignedDecision(approved, revocation), new SignedDecision(Decision(ApprovalStatus.Rejected), null)], canWithdraw: true);

        Assert.Equal(["Withdrawn", "Rejected"], cut.FindAll("[data-testid=decision-status]").Select(c => c.TextContent.Trim()));
        Assert.Contains("Withdrawn from delivery by Dr. Lee at 2026-12-07 11:30 UTC: Agitated after lunch", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Trim() == "Withdraw");
    }

    [Fact]
    public void Someone_who_may_not_treat_the_patient_sees_no_withdrawal()
    {
        SignInAs(Roles.Admin);
        var cut = Render([new SignedDecision(Decision(ApprovalStatus.Approved), null)], canWithdraw: false);

        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Trim() == "Withdraw");
    }

    private IRenderedComponent<ApprovalHistory> Render(IReadOnlyList<SignedDecision> decisions, bool canWithdraw) =>
        Render<ApprovalHistory>(p => p
            .Add(h => h.Decisions, decisions)
            .Add(h => h.CanWithdraw, canWithdraw)
            .Add(h => h.OnWithdraw, request =>
            {
                _requests.Add(request);
                return Task.FromResult(true);
            }));

    private static PlaylistApprovalEntity Decision(ApprovalStatus status) => new()
    {
        Id = Guid.NewGuid(), PreviewId = Guid.NewGuid(), PatientId = "P-0001", ModelBundleId = "bundle-1", TrackIds = ["T-1", "T-2"],
        Status = status, SignerUserId = "u-1", SignerPrintedName = "Dr. Rossi", SignerRole = Roles.Clinician, SignedAt = Signed,
        Meaning = status == ApprovalStatus.Approved ? SignatureMeanings.Approval : SignatureMeanings.Rejection,
        ScheduledFor = Signed, ValidUntil = Signed.AddDays(7), BindingHash = new string('a', 64),
        RejectionReason = status == ApprovalStatus.Rejected ? "Too lively" : null,
    };
}
