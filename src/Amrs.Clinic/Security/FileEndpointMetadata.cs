using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Amrs.Clinic.Security;

/// <summary>
/// Marks an endpoint that answers with a file rather than a page: when the cookie check refuses a request to it,
/// the answer is a plain 401 or 403, not a redirect to the sign-in or access-denied page (a download that turns
/// into an HTML page would be saved as a broken file).
/// </summary>
public sealed class FileEndpointMetadata
{
    internal static void RefuseWithStatusCodes(CookieAuthenticationEvents events)
    {
        var toLogin = events.OnRedirectToLogin;
        var toAccessDenied = events.OnRedirectToAccessDenied;
        events.OnRedirectToLogin = context => IsFileEndpoint(context) ? Status(context, StatusCodes.Status401Unauthorized) : toLogin(context);
        events.OnRedirectToAccessDenied = context => IsFileEndpoint(context) ? Status(context, StatusCodes.Status403Forbidden) : toAccessDenied(context);
    }

    private static bool IsFileEndpoint(RedirectContext<CookieAuthenticationOptions> context) =>
        context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<FileEndpointMetadata>() is not null;

    private static Task Status(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
