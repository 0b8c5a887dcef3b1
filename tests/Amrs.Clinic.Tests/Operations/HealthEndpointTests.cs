using System.Net;
using System.Text.Json;
using Amrs.Clinic.Tests.Infrastructure;

namespace Amrs.Clinic.Tests.Operations;

public sealed class HealthEndpointTests : IClassFixture<ClinicFactory>
{
    private readonly ClinicFactory _factory;

    public HealthEndpointTests(ClinicFactory factory) => _factory = factory;

    [Fact]
    public async Task Reports_database_and_engine_without_sign_in_and_without_details()
    {
        var client = SignedInClient.Anonymous(_factory);

        var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        var checks = json.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetString());
        Assert.Equal("Healthy", checks.GetProperty("engine").GetString());
        Assert.DoesNotContain(_factory.DatabasePath, body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/Account/Login")]
    public async Task Every_response_forbids_content_sniffing_and_sends_no_referrer(string path)
    {
        var response = await SignedInClient.Anonymous(_factory).GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task Signing_out_takes_the_antiforgery_token_of_the_clinic_own_form()
    {
        var client = await SignedInClient.ForRoleAsync(_factory, Amrs.Core.Security.Roles.Auditor);

        var forged = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent([]), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/audit", TestContext.Current.CancellationToken)).StatusCode); // still signed in

        var signedOut = await SignedInClient.SignOutAsync(client);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/audit", TestContext.Current.CancellationToken)).StatusCode); // to sign-in
    }
}
