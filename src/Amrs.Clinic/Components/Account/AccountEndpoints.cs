using Amrs.Clinic.Services.Audit;
using Amrs.Data.Identity;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Amrs.Clinic.Components.Account;

/// <summary>Account endpoints that are not pages: sign-out (a POST whose antiforgery token is checked).</summary>
internal static class AccountEndpoints
{
    public static IEndpointConventionBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/Account");
        account.MapPost("/Logout", async Task<IResult> (
            HttpContext context,
            [FromServices] IAntiforgery antiforgery,
            [FromServices] SignInManager<ClinicUser> signInManager,
            [FromServices] SecurityAudit audit) =>
        {
            // The form binds nothing, so its token is checked here: another page must not sign a person out.
            if (!await antiforgery.IsRequestValidAsync(context)) return TypedResults.BadRequest();
            await audit.SignedOutAsync(context.User);
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect("~/Account/Login");
        }).RequireAuthorization();
        return account;
    }
}
