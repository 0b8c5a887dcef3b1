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
}
