using System.Net;
using System.Reflection;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Amrs.Clinic.Tests.Security;

/// <summary>
/// Every routable page x every role (and nobody signed in), through the real server. The expectations are
/// written out here, independently of the pages' own attributes; pages are discovered by reflection, so a new
/// page without an entry fails the build of trust rather than slipping through.
/// </summary>
public sealed class PageAccessTests(PageAccessTests.Fixture fixture) : IClassFixture<PageAccessTests.Fixture>
{
    private const string Anyone = "anyone";
    private const string SignedIn = "signed-in";

    /// <summary>Who may open each page. Parameterised routes name a sample value in <see cref="RouteSamples"/>.</summary>
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        ["/Account/Login"] = [Anyone],
        ["/Account/AccessDenied"] = [Anyone],
        ["/not-found"] = [Anyone],
        ["/Error"] = [Anyone],
        ["/Account/ChangePassword"] = [SignedIn],
        ["/"] = [SignedIn],
        ["/admin/users"] = [Roles.Admin],
        ["/patients"] = [Roles.Clinician, Roles.Admin],
        ["/patients/{PatientId}"] = [Roles.Clinician, Roles.Admin],
        ["/patients/{PatientId}/preview"] = [Roles.Clinician, Roles.Admin],
        ["/admin/patients"] = [Roles.Admin],
        ["/admin/import"] = [Roles.Admin],
        ["/models"] = [Roles.Admin, Roles.Clinician],
        ["/audit"] = [Roles.Auditor],
        ["/audit/approvals"] = [Roles.Auditor],
        ["/audit/refusals"] = [Roles.Auditor],
        ["/audit/report"] = [Roles.Auditor],
        ["/today"] = [Roles.CareStaff, Roles.Clinician],
        ["/sessions/{DeliveryId:guid}"] = [Roles.CareStaff, Roles.Clinician],
    };

    private static readonly Dictionary<string, string> RouteSamples = new()
    {
        ["PatientId"] = "P-000001",
        ["DeliveryId"] = "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
    };

    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        foreach (var route in DiscoverRoutes()) data.Add(route);
        return data;
    }

    public static IEnumerable<string> DiscoverRoutes() =>
        typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
            .Select(r => r.Template)
            .Distinct()
            .Order();

    [Fact]
    public void Every_discovered_page_has_an_access_expectation()
    {
        var missing = DiscoverRoutes().Where(r => !Expected.ContainsKey(r)).ToList();
        Assert.True(missing.Count == 0, $"Pages without an access expectation in {nameof(PageAccessTests)}: {string.Join(", ", missing)}");
        var stale = Expected.Keys.Except(DiscoverRoutes()).ToList();
        Assert.True(stale.Count == 0, $"Expectations for pages that no longer exist: {string.Join(", ", stale)}");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Nobody_signed_in_is_sent_to_sign_in_unless_the_page_is_public(string route)
    {
        var response = await SignedInClient.Anonymous(fixture.Factory).GetAsync(Concrete(route), TestContext.Current.CancellationToken);
        if (Expected[route].Contains(Anyone))
        {
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{route}: {response.StatusCode}");
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(PagesByRole))]
    public async Task Each_role_opens_exactly_the_pages_it_may(string route, string role)
    {
        var client = await fixture.ClientForAsync(role);
        var response = await client.GetAsync(Concrete(route), TestContext.Current.CancellationToken);
        var allowed = Expected[route] is var who && (who.Contains(Anyone) || who.Contains(SignedIn) || who.Contains(role));
        if (allowed)
        {
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound,
                $"{role} should open {route} but got {(int)response.StatusCode} {response.Headers.Location}");
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/Account/AccessDenied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, string> PagesByRole()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in DiscoverRoutes())
            foreach (var role in Roles.All)
                data.Add(route, role);
        return data;
    }

    private static string Concrete(string template)
    {
        var path = template;
        while (path.IndexOf('{', StringComparison.Ordinal) is var start and >= 0)
        {
            var end = path.IndexOf('}', start);
            var name = path[(start + 1)..end].Split(':')[0].TrimEnd('?');
            Assert.True(RouteSamples.TryGetValue(name, out var sample), $"No sample value for route parameter '{name}' in {template}");
            path = path[..start] + sample + path[(end + 1)..];
        }
        return path;
    }

    public sealed class Fixture : IAsyncLifetime
    {
        private readonly Dictionary<string, HttpClient> _clients = [];
        private readonly SemaphoreSlim _gate = new(1, 1);

        private readonly CareClinic _clinic = new();

        public WebApplicationFactory<Program> Factory => _clinic.Factory;

        public async Task<HttpClient> ClientForAsync(string role)
        {
            await _gate.WaitAsync();
            try
            {
                if (!_clients.TryGetValue(role, out var client))
                    _clients[role] = client = await SignedInClient.ForRoleAsync(Factory, role);
                return client;
            }
            finally
            {
                _gate.Release();
            }
        }

        public ValueTask InitializeAsync()
        {
            _ = Factory.Server; // start the host (migrations, seeding) before the first request
            return ValueTask.CompletedTask;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var client in _clients.Values) client.Dispose();
            await _clinic.DisposeAsync();
            _gate.Dispose();
        }
    }
}
