using Amrs.Clinic.Services.Audit;
using Amrs.Data.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Amrs.Clinic.Components.Account;

/// <summary>Account endpoints that are not pages: sign-out (a POST with an antiforgery token).</summary>
internal static class AccountEndpoints
{
    public static IEndpointConventionBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/Account");
        account.MapPost("/Logout", async (
            HttpContext context,
            [FromServices] SignInManager<ClinicUser> signInManager,
            [FromServices] SecurityAudit audit) =>
        {
            await audit.SignedOutAsync(context.User);
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect("~/Account/Login");
        }).RequireAuthorization();
        return account;
    }
}
