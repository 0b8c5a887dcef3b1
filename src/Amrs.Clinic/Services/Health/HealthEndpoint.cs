using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Amrs.Clinic.Services.Health;

/// <summary>
/// <c>/health</c> for a load balancer: overall status and one word per component (database, engine). It needs no
/// sign-in and so reveals nothing else: no versions, no exception text, no paths.
/// </summary>
internal static class HealthEndpoint
{
    public static IEndpointConventionBuilder MapClinicHealth(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync }).AllowAnonymous();

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
