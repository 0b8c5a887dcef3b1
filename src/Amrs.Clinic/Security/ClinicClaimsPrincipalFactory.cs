using System.Security.Claims;
using Amrs.Data.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Amrs.Clinic.Security;

/// <summary>Puts the person's full name (printed on signatures) and care unit into the sign-in cookie.</summary>
public sealed class ClinicClaimsPrincipalFactory(
    UserManager<ClinicUser> userManager,
    RoleManager<IdentityRole> roleManager,
    IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ClinicUser, IdentityRole>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ClinicUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ClinicClaims.FullName, user.FullName));
        if (!string.IsNullOrEmpty(user.CareUnit))
            identity.AddClaim(new Claim(ClinicClaims.CareUnit, user.CareUnit));
        return identity;
    }
}
