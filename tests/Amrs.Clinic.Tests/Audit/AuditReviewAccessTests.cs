using System.Security.Claims;
using Amrs.Clinic.Security;
using Amrs.Clinic.Services.AuditReview;
using Amrs.Clinic.Services.Users;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Audit;
using Amrs.Core.Security;
using Amrs.Data.Audit.Anchors;
using Amrs.Data.Audit.Review;
using Amrs.Data.Identity;
using Amrs.Data.Seeding;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Audit;

/// <summary>
/// The review service on the real host: every method refuses every role but the Auditor on the server (whatever a
/// page shows), the Auditor's verification and exports land in the trail, and the Auditor cannot change anything.
/// </summary>
public sealed class AuditReviewAccessTests(AuditReviewAccessTests.Fixture fixture) : IClassFixture<AuditReviewAccessTests.Fixture>
{
    /// <summary>Every method of the service, called with harmless arguments.</summary>
    private static readonly Dictionary<string, Func<IAuditReviewService, Task>> Calls = new()
    {
        [nameof(IAuditReviewService.PageAsync)] = s => s.PageAsync(new AuditPageRequest(AuditFilter.All)),
        [nameof(IAuditReviewService.GetAsync)] = s => s.GetAsync(1),
        [nameof(IAuditReviewService.ActorsAsync)] = s => s.ActorsAsync(),
        [nameof(IAuditReviewService.ApprovalsAsync)] = s => s.ApprovalsAsync(AuditFilter.All),
        [nameof(IAuditReviewService.RefusalsAsync)] = s => s.RefusalsAsync(AuditFilter.All),
        [nameof(IAuditReviewService.VerifyChainAsync)] = s => s.VerifyChainAsync(),
        [nameof(IAuditReviewService.ExportAsync)] = s => s.ExportAsync(AuditFilter.All, AuditExportFormat.Csv),
        [nameof(IAuditReviewService.MonthlyReportAsync)] = s => s.MonthlyReportAsync(2026, 11),
    };

    public static TheoryData<string, string> RefusedCalls()
    {
        var data = new TheoryData<string, string>();
        foreach (var role in Roles.All.Where(r => r != Roles.Auditor))
            foreach (var call in Calls.Keys)
                data.Add(role, call);
        return data;
    }

    [Fact]
    public void The_service_has_only_reading_verifying_exporting_and_reporting_methods()
    {
        var methods = typeof(IAuditReviewService).GetMethods().Select(m => m.Name).Order().ToList();

        Assert.Equal(Calls.Keys.Order(), methods);
    }

    [Theory]
    [MemberData(nameof(RefusedCalls))]
    public async Task Other_roles_are_refused_by_every_method_and_leave_no_trace(string role, string call)
    {
        await using var scope = await fixture.ScopeForAsync(role);
        var before = await fixture.HeadAsync();

        await Assert.ThrowsAsync<AccessDeniedException>(() => Calls[call](scope.ServiceProvider.GetRequiredService<IAuditReviewService>()));

        Assert.Equal(before, await fixture.HeadAsync());
    }

    [Fact]
    public async Task Nobody_signed_in_is_refused()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        SetUser(scope, new ClaimsPrincipal(new ClaimsIdentity()));

        await Assert.ThrowsAsync<AccessDeniedException>(() => scope.ServiceProvider.GetRequiredService<IAuditReviewService>().PageAsync(new AuditPageRequest(AuditFilter.All), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_auditor_may_call_every_method()
    {
        await using var scope = await fixture.ScopeForAsync(Roles.Auditor);
        var review = scope.ServiceProvider.GetRequiredService<IAuditReviewService>();

        foreach (var (name, call) in Calls)
        {
            var exception = await Record.ExceptionAsync(() => call(review));
            Assert.True(exception is null, $"{name}: {exception}");
        }
    }

    [Fact]
    public async Task A_verification_is_recorded_with_its_result()
    {
        await using var scope = await fixture.ScopeForAsync(Roles.Auditor);
        var review = scope.ServiceProvider.GetRequiredService<IAuditReviewService>();

        var check = await review.VerifyChainAsync(TestContext.Current.CancellationToken);

        Assert.True(check.Verification.IsIntact, check.Verification.ToString());
        var recorded = await review.GetAsync(check.RecordedAsSequence, TestContext.Current.CancellationToken);
        Assert.NotNull(recorded);
        Assert.Equal(AuditActions.AuditVerified, recorded.Action);
        Assert.Equal(AuditOutcome.Success, recorded.Outcome);
        Assert.Equal(DemoAccounts.For(Roles.Auditor).FullName, recorded.ActorName);
        var details = AuditDetailFields.From(recorded.Details).ToDictionary(f => f.Name, f => f.Value);
        Assert.Equal("true", details["intact"]);
        Assert.Equal(check.Verification.VerifiedCount.ToString(System.Globalization.CultureInfo.InvariantCulture), details["verifiedCount"]);
        Assert.Equal(check.Verification.Head.Hash, details["headHash"]);
        Assert.Equal("true", details["anchors.holds"]);
        // The intact check anchored its own entry outside the database, where the next verification holds the trail to it.
        Assert.True(check.Anchored);
        var anchors = await scope.ServiceProvider.GetRequiredService<AuditAnchorFile>().ReadAsync(TestContext.Current.CancellationToken);
        Assert.Contains(anchors.Anchors, a => a.Head == recorded.Head);
        var again = await review.VerifyChainAsync(TestContext.Current.CancellationToken);
        Assert.True(again.IsIntact, again.Anchors.Summary);
        Assert.True(again.Anchors.Checked >= 1);
    }

    [Fact]
    public async Task Reading_the_trail_is_recorded_once_per_filter_per_entry_opened_and_per_report_not_per_page()
    {
        await using var scope = await fixture.ScopeForAsync(Roles.Auditor);
        var review = scope.ServiceProvider.GetRequiredService<IAuditReviewService>();
        var ct = TestContext.Current.CancellationToken;
        var before = await fixture.HeadAsync();

        var first = await review.PageAsync(new AuditPageRequest(new AuditFilter(PatientId: "P-0042"), PageSize: 1), ct);
        await review.PageAsync(new AuditPageRequest(new AuditFilter(PatientId: "P-0042"), first.OlderThan ?? 1, PageSize: 1), ct);
        await review.GetAsync(1, ct);
        await review.MonthlyReportAsync(2026, 11, ct);

        var recorded = (await review.PageAsync(new AuditPageRequest(new AuditFilter(Action: AuditActions.AuditViewed), PageSize: 10), ct)).Entries
            .Where(e => e.Sequence > before).OrderBy(e => e.Sequence).ToList();
        Assert.Equal(4, recorded.Count); // the filtered list (its second page is not recorded), the entry, the report, this list
        Assert.All(recorded, e => Assert.Equal(DemoAccounts.For(Roles.Auditor).FullName, e.ActorName));
        var views = recorded.Select(e => AuditDetailFields.From(e.Details).ToDictionary(f => f.Name, f => f.Value)).ToList();
        Assert.Equal(("trail", "P-0042"), (views[0]["view"], views[0]["filter.patientId"]));
        Assert.Equal(("entry", "1"), (views[1]["view"], views[1]["sequence"]));
        Assert.Equal(("monthly report", "11"), (views[2]["view"], views[2]["month"]));
    }

    [Fact]
    public async Task An_export_is_recorded_with_its_format_and_filter_and_stops_before_its_own_entry()
    {
        await using var scope = await fixture.ScopeForAsync(Roles.Auditor);
        var review = scope.ServiceProvider.GetRequiredService<IAuditReviewService>();

        var export = await review.ExportAsync(new AuditFilter(Action: AuditActions.SignIn, PatientId: " "), AuditExportFormat.Fhir, TestContext.Current.CancellationToken);

        var recorded = await review.GetAsync(export.UpToSequence + 1, TestContext.Current.CancellationToken);
        Assert.NotNull(recorded);
        Assert.Equal(AuditActions.Export, recorded.Action);
        var details = AuditDetailFields.From(recorded.Details).ToDictionary(f => f.Name, f => f.Value);
        Assert.Equal("fhir", details["format"]);
        Assert.Equal(AuditActions.SignIn, details["filter.action"]);
        Assert.Equal("(none)", details["filter.patientId"]);
    }

    [Fact]
    public async Task The_auditor_cannot_change_accounts_through_the_administration_service()
    {
        await using var scope = await fixture.ScopeForAsync(Roles.Auditor);
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var someone = (await scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>().FindByNameAsync(DemoAccounts.For(Roles.CareStaff).UserName))!;
        var before = await fixture.HeadAsync();

        await Assert.ThrowsAsync<AccessDeniedException>(() => admin.CreateAsync(new NewAccount("x@test.amrs", "X", [Roles.Auditor], null)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => admin.UpdateAsync(someone.Id, "X", [Roles.Auditor], null));
        await Assert.ThrowsAsync<AccessDeniedException>(() => admin.LockAsync(someone.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => admin.ResetPasswordAsync(someone.Id));

        Assert.Equal(before, await fixture.HeadAsync());
    }

    private static void SetUser(AsyncServiceScope scope, ClaimsPrincipal principal) =>
        ((IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));

    public sealed class Fixture : IAsyncLifetime
    {
        public ClinicFactory Factory { get; } = new();

        /// <summary>A request scope in which the demo account of <paramref name="role"/> is the signed-in person.</summary>
        public async Task<AsyncServiceScope> ScopeForAsync(string role)
        {
            var scope = Factory.Services.CreateAsyncScope();
            var account = DemoAccounts.For(role);
            var user = (await scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>().FindByNameAsync(account.UserName))!;
            // The principal a real sign-in gives (with the security stamp the services check at every call).
            SetUser(scope, await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ClinicUser>>().CreateAsync(user));
            return scope;
        }

        public async Task<long> HeadAsync()
        {
            await using var scope = Factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<AuditTrailReader>().HeadSequenceAsync();
        }

        public ValueTask InitializeAsync()
        {
            _ = Factory.Server;
            return ValueTask.CompletedTask;
        }

        public async ValueTask DisposeAsync() => await Factory.DisposeAsync();
    }
}
