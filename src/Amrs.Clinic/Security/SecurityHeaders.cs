namespace Amrs.Clinic.Security;

/// <summary>
/// Headers every response carries: no guessing of content types (an export is never run as a script) and no
/// addresses sent to other sites (a patient's pseudonym sits in page addresses). Framing is refused by the
/// antiforgery and Blazor defaults already.
/// </summary>
internal static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.XContentTypeOptions = "nosniff";
                context.Response.Headers["Referrer-Policy"] = "no-referrer";
                return Task.CompletedTask;
            });
            await next(context);
        });
}
