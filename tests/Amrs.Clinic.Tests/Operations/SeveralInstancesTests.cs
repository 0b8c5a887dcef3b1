using System.Net;
using Amrs.Clinic.Services.Governance;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Audit;
using Amrs.Core.Security;
using Amrs.Data;
using Amrs.Data.Audit;
using Amrs.Data.Audit.Review;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Amrs.Clinic.Tests.Operations;

/// <summary>
/// Two instances of the clinic on one database, as behind a load balancer: a sign-in made on one is accepted by the
/// other (the data-protection keys that encrypt the cookie live in the database), and both append to one audit
/// chain that still verifies.
/// </summary>
public sealed class SeveralInstancesTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "amrs-tests", "instances-" + Guid.NewGuid().ToString("N"));
    private ClinicFactory _first = null!;
    private ClinicFactory _second = null!;

    public ValueTask InitializeAsync()
    {
        _first = ClinicFactory.OnDatabaseIn(_folder);
        _ = _first.Services; // the first instance creates the database, the accounts and the key ring
        _second = ClinicFactory.OnDatabaseIn(_folder);
        _ = _second.Services;
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Only_an_instance_with_RunTrainingJobs_on_runs_retraining_jobs()
    {
        await using var worker = ClinicFactory.OnDatabaseIn(_folder);
        await using var webOnly = ClinicFactory.OnDatabaseIn(_folder);
        var web = webOnly.WithWebHostBuilder(b => b.UseSetting("Engine:RunTrainingJobs", "false"));

        Assert.Single(worker.Services.GetServices<IHostedService>().OfType<TrainingJobRunner>());
        Assert.Empty(web.Services.GetServices<IHostedService>().OfType<TrainingJobRunner>());
    }

    [Fact]
    public async Task A_sign_in_cookie_issued_by_one_instance_is_accepted_by_the_other()
    {
        var first = SignedInClient.Anonymous(_first);
        var signIn = await SignedInClient.SignInAsync(first, DemoAccountsUserName, ClinicFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        // The sign-in cookie as the application names it, possibly in chunks (name, nameC1, nameC2, ...).
        var cookieName = _first.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).Cookie.Name!;
        var cookies = signIn.Headers.TryGetValues("Set-Cookie", out var setCookies)
            ? setCookies.Select(c => c.Split(';')[0]).Where(c => c.StartsWith(cookieName, StringComparison.Ordinal)).ToArray()
            : [];
        Assert.True(cookies.Length > 0, "signing in set no cookie: " + string.Join(" | ", signIn.Headers.Select(h => $"{h.Key}: {string.Join(",", h.Value)}")));

        using var second = _second.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var anonymous = await second.GetAsync("/patients", TestContext.Current.CancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/patients");
        request.Headers.Add("Cookie", string.Join("; ", cookies));
        using var signedIn = await second.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode); // to the sign-in page: the cookie is what counts
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
    }

    [Fact]
    public async Task Both_instances_append_to_one_audit_chain_that_still_verifies()
    {
        async Task AppendAsync(ClinicFactory instance, string actor)
        {
            var log = instance.Services.GetRequiredService<AuditLog>();
            for (var i = 0; i < 15; i++)
            {
                await log.AppendAsync(new AuditDraft(DateTimeOffset.UtcNow, actor, actor, AuditActors.SystemRole, AuditActions.DataGenerated,
                    AuditEntityTypes.Dataset, $"{actor}-{i}", null, AuditOutcome.Success, AuditDetails.Of(new { i })));
            }
        }

        await Task.WhenAll(Task.Run(() => AppendAsync(_first, "instance-a")), Task.Run(() => AppendAsync(_second, "instance-b")));

        var verification = await new AuditTrailReader(_second.Services.GetRequiredService<IDbContextFactory<ClinicDbContext>>()).VerifyAsync(TestContext.Current.CancellationToken);
        Assert.True(verification.IsIntact, verification.ToString());
        await using var db = await _first.Services.GetRequiredService<IDbContextFactory<ClinicDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.Equal(15, await db.AuditEntries.CountAsync(e => e.ActorId == "instance-a", TestContext.Current.CancellationToken));
        Assert.Equal(15, await db.AuditEntries.CountAsync(e => e.ActorId == "instance-b", TestContext.Current.CancellationToken));
    }

    private static string DemoAccountsUserName => Amrs.Data.Seeding.DemoAccounts.For(Roles.Clinician).UserName;

    public async ValueTask DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { /* best effort */ }
    }
}
