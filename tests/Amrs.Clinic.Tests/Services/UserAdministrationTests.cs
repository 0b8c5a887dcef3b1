using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Users;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Security;
using Amrs.Data.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Services;

/// <summary>
/// How Admin powers are contained: nobody changes their own roles or resets their own password, and a lock or a role
/// change holds at the very next service call of the person concerned, not when their open page next revalidates.
/// Each test uses accounts of its own.
/// </summary>
public sealed class UserAdministrationTests(CareClinic clinic) : IClassFixture<CareClinic>
{
    [Fact]
    public async Task An_admin_cannot_grant_themselves_a_role_or_reset_their_own_password()
    {
        var admin = await NewAdminAsync();
        await using var scope = await SignedInScope.ForAsync(clinic.Factory, admin.UserName!);
        var accounts = scope.ServiceProvider.GetRequiredService<UserAdministration>();

        var selfGrant = await accounts.UpdateAsync(admin.Id, "Test Admin", [Roles.Admin, Roles.Clinician], "Unit A");
        var selfReset = await accounts.ResetPasswordAsync(admin.Id);

        Assert.Contains("you cannot change your own roles", selfGrant.Errors.Single(), StringComparison.Ordinal);
        Assert.Contains("Change password", selfReset.Errors.Single(), StringComparison.Ordinal);
        Assert.Equal([Roles.Admin], await RolesOfAsync(admin.Id));
    }

    [Fact]
    public async Task A_locked_admin_with_a_page_still_open_is_refused_at_the_next_call()
    {
        var first = await NewAdminAsync();
        var second = await NewAdminAsync();
        await using var secondsOpenPage = await SignedInScope.ForAsync(clinic.Factory, second.UserName!);
        await using var firstsPage = await SignedInScope.ForAsync(clinic.Factory, first.UserName!);

        var locked = await firstsPage.ServiceProvider.GetRequiredService<UserAdministration>().LockAsync(second.Id);
        var secondsAccounts = secondsOpenPage.ServiceProvider.GetRequiredService<UserAdministration>();

        Assert.True(locked.Succeeded, string.Join(" ", locked.Errors));
        var refused = await Assert.ThrowsAsync<AccessDeniedException>(() => secondsAccounts.UnlockAsync(second.Id));
        Assert.Contains("sign in again", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<AccessDeniedException>(() => secondsAccounts.LockAsync(first.Id));
        await using var check = clinic.Services.CreateAsyncScope();
        var users = check.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        Assert.True(await users.IsLockedOutAsync((await users.FindByIdAsync(second.Id))!));
        Assert.False(await users.IsLockedOutAsync((await users.FindByIdAsync(first.Id))!));
    }

    [Fact]
    public async Task A_care_unit_longer_than_a_patients_can_be_is_refused_naming_the_field()
    {
        var admin = await NewAdminAsync();
        await using var scope = await SignedInScope.ForAsync(clinic.Factory, admin.UserName!);

        var created = await scope.ServiceProvider.GetRequiredService<UserAdministration>()
            .CreateAsync(new NewAccount($"carer-{Guid.NewGuid():N}@test.amrs", "Test Carer", [Roles.CareStaff], new string('U', 101)));

        Assert.False(created.Succeeded);
        Assert.Contains("Care unit: at most 100 characters", created.Errors.Single(), StringComparison.Ordinal);
    }

    private async Task<ClinicUser> NewAdminAsync()
    {
        var userName = await TestAccounts.CreateAsync(clinic.Services, Roles.Admin, ClinicFactory.DemoPassword, careUnit: null);
        await using var scope = clinic.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>().FindByNameAsync(userName))!;
    }

    private async Task<IList<string>> RolesOfAsync(string userId)
    {
        await using var scope = clinic.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        return await users.GetRolesAsync((await users.FindByIdAsync(userId))!);
    }
}
