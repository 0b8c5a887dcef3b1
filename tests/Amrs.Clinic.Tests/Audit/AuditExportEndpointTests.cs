using System.Net;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Clinic.Tests.Security;
using Amrs.Core.Audit;
using Amrs.Core.Security;
using Amrs.Data.Audit.Export;
using Amrs.Data.Audit.Review;
using Amrs.Data.Seeding;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Audit;

/// <summary>GET /audit/export over the real server: the Auditor downloads CSV and FHIR; everyone else is refused with a status code.</summary>
public sealed class AuditExportEndpointTests(PageAccessTests.Fixture fixture) : IClassFixture<PageAccessTests.Fixture>
{
    public static TheoryData<string> OtherRoles() => [.. Roles.All.Where(r => r != Roles.Auditor)];

    [Theory]
    [MemberData(nameof(OtherRoles))]
    public async System.Threading.Tasks.Task Other_roles_get_403_and_no_export_is_recorded(string role)
    {
        var client = await fixture.ClientForAsync(role);
        var before = await HeadAsync();

        var response = await client.GetAsync("/audit/export?format=csv", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await HeadAsync());
    }

    [Fact]
    public async System.Threading.Tasks.Task Nobody_signed_in_gets_401()
    {
        var response = await SignedInClient.Anonymous(fixture.Factory).GetAsync("/audit/export?format=csv", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_auditor_downloads_a_filtered_csv_and_the_export_is_recorded()
    {
        var client = await fixture.ClientForAsync(Roles.Auditor);

        var response = await client.GetAsync($"/audit/export?format=csv&action={AuditActions.SignIn}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName, StringComparison.Ordinal);
        var lines = (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(",", AuditCsvExport.Header), lines[0]);
        Assert.NotEmpty(lines[1..]);
        Assert.All(lines[1..], line => Assert.Equal(AuditActions.SignIn, line.Split(',')[5]));
        Assert.Contains(lines[1..], line => line.Contains(DemoAccounts.For(Roles.Auditor).FullName, StringComparison.Ordinal));

        var recorded = await LastAsync();
        Assert.Equal(AuditActions.Export, recorded.Action);
        Assert.Equal(DemoAccounts.For(Roles.Auditor).FullName, recorded.ActorName);
        Assert.Contains($"\"action\":\"{AuditActions.SignIn}\"", recorded.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_fhir_export_parses_back_with_the_sdk_as_audit_events_of_the_trail()
    {
        var client = await fixture.ClientForAsync(Roles.Auditor);

        var json = await client.GetStringAsync("/audit/export?format=fhir", TestContext.Current.CancellationToken);

        var bundle = new FhirJsonDeserializer().Deserialize<Bundle>(json);
        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        var events = bundle.Entry.Select(e => Assert.IsType<AuditEvent>(e.Resource)).ToList();
        Assert.NotEmpty(events);
        var sequences = events.Select(e => long.Parse(Detail(e, "sequence"), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences); // the whole trail up to the export, in order
        Assert.Equal(Detail(events[^1], "hash"), bundle.Identifier?.Value);
        Assert.Contains(events, e => e.Subtype.Any(s => s.Code == AuditActions.SignIn) && e.Agent[0].Name == DemoAccounts.For(Roles.Auditor).FullName);
        for (var i = 1; i < events.Count; i++)
            Assert.Equal(Detail(events[i - 1], "hash"), Detail(events[i], "previousHash"));
    }

    [Theory]
    [InlineData("/audit/export", "'format' must be csv or fhir")]
    [InlineData("/audit/export?format=xml", "'format' must be csv or fhir")]
    [InlineData("/audit/export?format=csv&from=yesterday", "'from' is not an ISO 8601 instant")]
    [InlineData("/audit/export?format=csv&outcome=Maybe", "'outcome' must be one of")]
    public async System.Threading.Tasks.Task Bad_requests_are_refused_with_the_reason(string url, string reason)
    {
        var client = await fixture.ClientForAsync(Roles.Auditor);

        var response = await client.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_endpoint_answers_only_reads()
    {
        var client = await fixture.ClientForAsync(Roles.Auditor);
        var before = await HeadAsync();

        var post = await client.PostAsync("/audit/export?format=csv", new StringContent(""), TestContext.Current.CancellationToken);
        var put = await client.PutAsync("/audit/export?format=csv", new StringContent(""), TestContext.Current.CancellationToken);
        var delete = await client.DeleteAsync("/audit/export?format=csv", TestContext.Current.CancellationToken);

        Assert.All(new[] { post, put, delete }, r => Assert.False(r.IsSuccessStatusCode, $"{r.RequestMessage?.Method}: {r.StatusCode}"));
        Assert.Equal(before, await HeadAsync()); // nothing was exported, so nothing was recorded
    }

    private static string Detail(AuditEvent auditEvent, string type) =>
        ((FhirString)auditEvent.Entity.SelectMany(e => e.Detail).Single(d => d.Type == type).Value).Value!;

    private async Task<long> HeadAsync()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuditTrailReader>().HeadSequenceAsync();
    }

    private async Task<AuditEntry> LastAsync()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var reader = scope.ServiceProvider.GetRequiredService<AuditTrailReader>();
        return (await reader.GetAsync(await reader.HeadSequenceAsync()))!;
    }
}
