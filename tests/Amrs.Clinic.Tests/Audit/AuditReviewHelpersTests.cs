using Amrs.Clinic.Services.AuditReview;
using Amrs.Core.Audit;
using Amrs.Data.Audit.Review;
using Microsoft.AspNetCore.WebUtilities;

namespace Amrs.Clinic.Tests.Audit;

public sealed class AuditReviewHelpersTests
{
    [Fact]
    public void A_filter_survives_the_round_trip_through_a_download_link()
    {
        var filter = new AuditFilter(new DateTimeOffset(2026, 3, 1, 8, 0, 0, 250, TimeSpan.Zero), new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero),
            "u 1&2", "P-0007", AuditActions.GuardRefused, AuditOutcome.Refused);

        var url = AuditFilterQueryString.Append("/audit/export", filter, ("format", "csv"));
        var parsed = AuditFilterQueryString.TryParse(QueryHelpers.ParseQuery(new Uri("http://x" + url).Query), out var back, out var error);

        Assert.True(parsed, error);
        Assert.Equal(filter, back);
    }

    [Fact]
    public void The_form_reads_times_as_utc_and_blank_inputs_as_any()
    {
        var form = new AuditFilterForm { From = "2026-03-01T08:00", To = "", ActorId = " ", PatientId = " P-1 ", Outcome = "Failure" };

        Assert.True(form.TryBuild(out var filter, out _));

        Assert.Equal(new AuditFilter(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero), null, null, "P-1", null, AuditOutcome.Failure), filter);
    }

    [Theory]
    [InlineData("yesterday", null, null, "From: 'yesterday' is not a date and time.")]
    [InlineData("2026-03-02T00:00", "2026-03-01T00:00", null, "To must be after From.")]
    [InlineData(null, null, "Maybe", "Outcome: 'Maybe' is not an outcome.")]
    public void The_form_says_which_input_is_wrong(string? from, string? to, string? outcome, string message)
    {
        var form = new AuditFilterForm { From = from, To = to, Outcome = outcome ?? "" };

        Assert.False(form.TryBuild(out _, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void Details_are_flattened_for_display_whatever_their_shape()
    {
        var fields = AuditDetailFields.From("""{"rule":"consent-required","rulesChecked":["a","b"],"firstBreak":{"sequence":5,"reason":"x"},"none":null}""");

        Assert.Equal(
            [("rule", "consent-required"), ("rulesChecked", "a, b"), ("firstBreak.sequence", "5"), ("firstBreak.reason", "x"), ("none", "(none)")],
            fields.Select(f => (f.Name, f.Value)));
        Assert.Equal([("(details)", "not json")], AuditDetailFields.From("not json").Select(f => (f.Name, f.Value)));
    }

    [Fact]
    public void An_approval_shows_the_signature_its_details_carry_or_says_it_falls_back_to_the_actor()
    {
        var at = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
        var signed = AuditChain.Seal(new AuditDraft(at, "u-1", "Ana Rossi", "Clinician", AuditActions.PlaylistApproved, AuditEntityTypes.Playlist,
            "pl-1", "P-1", AuditOutcome.Success, AuditDetails.Of(new { signerPrintedName = "Dr. Ana Rossi", meaning = "Approval", bindingHash = "abc" })), null);
        var bare = AuditChain.Seal(new AuditDraft(at, "u-1", "Ana Rossi", "Clinician", AuditActions.PlaylistApproved, AuditEntityTypes.Playlist,
            "pl-2", "P-1", AuditOutcome.Success), signed);

        var full = ApprovalSignature.From(signed);
        var fallback = ApprovalSignature.From(bare);

        Assert.Equal(("Dr. Ana Rossi", "Approval", "abc", true), (full.PrintedName, full.Meaning, full.BindingHash, full.FromDetails));
        Assert.Equal(("Ana Rossi", "(not recorded)", null, false, "2026-03-01 08:00:00 UTC", "pl-2"),
            (fallback.PrintedName, fallback.Meaning, fallback.BindingHash, fallback.FromDetails, fallback.SignedAt, fallback.Playlist));
    }

    [Theory]
    [InlineData("2026-02", true, 2026, 2)]
    [InlineData("2026-13", false, 0, 0)]
    [InlineData("", false, 0, 0)]
    public void A_month_input_is_read_as_year_and_month(string text, bool ok, int year, int month)
    {
        Assert.Equal((ok, year, month), (ReportMonth.TryParse(text, out var y, out var m), y, m));
    }
}
