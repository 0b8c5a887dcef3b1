using Amrs.Clinic.Security;
using Amrs.Core.Security;
using Microsoft.AspNetCore.Components.Authorization;

namespace Amrs.Clinic.Services.AuditReview;

/// <summary>
/// <c>GET /audit/export?format=csv|fhir&amp;from=..&amp;to=..&amp;actor=..&amp;patient=..&amp;action=..&amp;outcome=..</c>:
/// streams a filtered export as a download. Only the AuditReview policy gets through (others get 403, nobody signed
/// in 401, never a redirect), and the review service checks again and records the export before a byte is sent.
/// </summary>
public static class AuditExportEndpoint
{
    public const string Path = "/audit/export";

    public static IEndpointRouteBuilder MapAuditExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, ExportAsync)
            .RequireAuthorization(Policies.AuditReview)
            .WithMetadata(new FileEndpointMetadata())
            .WithName("AuditExport");
        return endpoints;
    }

    private static async Task<IResult> ExportAsync(HttpContext http, IAuditReviewService review, AuthenticationStateProvider authentication, string? format)
    {
        AuditExportFormat? chosen = format?.ToLowerInvariant() switch
        {
            "csv" => AuditExportFormat.Csv,
            "fhir" => AuditExportFormat.Fhir,
            _ => null,
        };
        if (chosen is null)
            return Results.Problem($"'format' must be csv or fhir, not '{format}'.", statusCode: StatusCodes.Status400BadRequest);
        var query = http.Request.Query.ToDictionary(q => q.Key, q => q.Value, StringComparer.Ordinal);
        if (!AuditFilterQueryString.TryParse(query, out var filter, out var error))
            return Results.Problem(error, statusCode: StatusCodes.Status400BadRequest);

        // Services learn who calls from the authentication state; outside a Blazor circuit it is this request's user.
        if (authentication is IHostEnvironmentAuthenticationStateProvider host)
            host.SetAuthenticationState(Task.FromResult(new AuthenticationState(http.User)));
        AuditExport export;
        try
        {
            export = await review.ExportAsync(filter, chosen.Value, http.RequestAborted);
        }
        catch (AccessDeniedException)
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }
        return Results.Stream(stream => export.WriteAsync(stream, http.RequestAborted), export.ContentType, export.FileName);
    }
}
