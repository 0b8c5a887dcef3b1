using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Signatures;
using Amrs.Clinic.Services.Users;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Security;
using Amrs.Data.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
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

    [Theory]
    [InlineData(" ", "Full name: required (it is printed on signatures).")]
    [InlineData(null, "Full name: at most 200 characters (this one has 600).")]
    public async Task A_missing_or_overlong_full_name_is_refused_saying_which(string? fullName, string message)
    {
        var admin = await NewAdminAsync();
        await using var scope = await SignedInScope.ForAsync(clinic.Factory, admin.UserName!);

        var created = await scope.ServiceProvider.GetRequiredService<UserAdministration>()
            .CreateAsync(new NewAccount($"carer-{Guid.NewGuid():N}@test.amrs", fullName ?? new string('N', 600), [Roles.CareStaff], "Unit A"));

        Assert.False(created.Succeeded);
        Assert.Equal(message, created.Errors.Single());
    }

    [Fact]
    public async Task Nobody_signs_with_a_one_time_password_until_they_have_chosen_their_own()
    {
        var admin = await NewAdminAsync();
        var userName = $"clinician-{Guid.NewGuid():N}@test.amrs";
        string oneTime;
        await using (var adminsPage = await SignedInScope.ForAsync(clinic.Factory, admin.UserName!))
            oneTime = (await adminsPage.ServiceProvider.GetRequiredService<UserAdministration>()
                .CreateAsync(new NewAccount(userName, "Test Clinician", [Roles.Clinician], "Unit A"))).TemporaryPassword!;

        await using var page = await SignedInScope.ForAsync(clinic.Factory, userName);
        var me = await page.ServiceProvider.GetRequiredService<CurrentUser>().GetAsync();
        var signatures = page.ServiceProvider.GetRequiredService<SignaturePassword>();
        var before = await signatures.CheckAsync(me, oneTime);
        var changed = await page.ServiceProvider.GetRequiredService<OwnPassword>().ChangeAsync(me.Principal, oneTime, "My-Own-Password-2026");
        var after = await signatures.CheckAsync(me, "My-Own-Password-2026");

        Assert.False(before.Succeeded);
        Assert.True(before.OneTimePassword);
        Assert.Contains("one-time password", before.Refusal, StringComparison.Ordinal);
        Assert.True(changed.Succeeded, string.Join(" ", changed.Errors));
        Assert.True(after.Succeeded);
    }

    [Fact]
    public async Task A_wrong_current_password_counts_toward_the_lockout_and_is_audited()
    {
        var userName = await TestAccounts.CreateAsync(clinic.Services, Roles.CareStaff, ClinicFactory.DemoPassword);
        await using var page = await SignedInScope.ForAsync(clinic.Factory, userName);
        var me = await page.ServiceProvider.GetRequiredService<CurrentUser>().GetAsync();

        var wrong = await page.ServiceProvider.GetRequiredService<OwnPassword>().ChangeAsync(me.Principal, "Not-The-Password-1", "Another-Password-2026");

        Assert.Equal("The current password is not correct.", wrong.Errors.Single());
        await using var check = clinic.Services.CreateAsyncScope();
        var users = check.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        Assert.Equal(1, (await users.FindByNameAsync(userName))!.AccessFailedCount);
        var db = check.ServiceProvider.GetRequiredService<Amrs.Data.ClinicDbContext>();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == Amrs.Core.Audit.AuditActions.PasswordChanged && e.ActorId == me.UserId
            && e.Outcome == Amrs.Core.Audit.AuditOutcome.Refused));
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
