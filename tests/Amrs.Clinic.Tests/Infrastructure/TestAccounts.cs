using Amrs.Data.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Infrastructure;

/// <summary>Extra accounts for tests that lock or change one (shared with the end-to-end tests, which link this file).</summary>
public static class TestAccounts
{
    /// <summary>Creates an account with <paramref name="role"/> on a running clinic and returns its user name.</summary>
    public static async Task<string> CreateAsync(IServiceProvider services, string role, string password, string? careUnit = "Unit A")
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        var userName = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@test.amrs";
        var user = new ClinicUser { UserName = userName, FullName = $"Test {role}", CareUnit = careUnit, LockoutEnabled = true };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded) throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, role);
        return userName;
    }
}
