using Amrs.Core.Security;
using Amrs.Data.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace Amrs.Data.Seeding;

/// <summary>Seeds the roles (always) and, when demo accounts are enabled, one account per role.</summary>
public sealed class IdentitySeeder(
    RoleManager<IdentityRole> roleManager,
    UserManager<ClinicUser> userManager,
    TimeProvider clock,
    ILogger<IdentitySeeder> logger)
{
    public async Task SeedRolesAsync()
    {
        foreach (var role in Roles.All)
        {
            if (await roleManager.RoleExistsAsync(role)) continue;
            Throw(await roleManager.CreateAsync(new IdentityRole(role)), $"role {role}");
            logger.LogInformation("Created role {Role}", role);
        }
    }

    /// <summary>Creates the demo accounts that are missing; returns how many were created.</summary>
    public async Task<int> SeedDemoAccountsAsync(string password)
    {
        var created = 0;
        foreach (var account in DemoAccounts.All)
        {
            if (await userManager.FindByNameAsync(account.UserName) is not null) continue;
            var user = new ClinicUser
            {
                UserName = account.UserName,
                Email = account.UserName,
                EmailConfirmed = true,
                FullName = account.FullName,
                CareUnit = account.CareUnit,
                CreatedAt = clock.GetUtcNow(),
                LockoutEnabled = true,
            };
            Throw(await userManager.CreateAsync(user, password), $"demo account {account.UserName}");
            Throw(await userManager.AddToRoleAsync(user, account.Role), $"role of {account.UserName}");
            created++;
        }
        return created;
    }

    private static void Throw(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not create {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}
