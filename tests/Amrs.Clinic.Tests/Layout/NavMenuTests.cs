using Amrs.Clinic.Components.Layout;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Security;
using Bunit;

namespace Amrs.Clinic.Tests.Layout;

public sealed class NavMenuTests : ClinicComponentTest
{
    public static TheoryData<string> AllRoles() => [.. Roles.All];

    [Theory]
    [MemberData(nameof(AllRoles))]
    public void Shows_exactly_the_links_the_role_may_use(string role)
    {
        SignInAs(role);

        var menu = Render<NavMenu>();

        var shown = menu.FindAll("a").Select(a => a.GetAttribute("href") ?? "").ToHashSet();
        foreach (var item in NavigationItems.All)
        {
            var mayUse = item.Policy is null || Policies.RolesFor[item.Policy].Contains(role);
            Assert.True(mayUse == shown.Contains(item.Href),
                $"{role}: link '{item.Title}' should be {(mayUse ? "shown" : "hidden")}");
        }
    }

    [Fact]
    public void Administration_links_are_hidden_from_care_staff()
    {
        SignInAs(Roles.CareStaff);

        var menu = Render<NavMenu>();

        Assert.DoesNotContain("admin/users", menu.Markup, StringComparison.Ordinal);
        Assert.Contains("Home", menu.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_person_with_two_roles_sees_the_links_of_both()
    {
        SignInAs(Roles.Admin, Roles.Clinician);

        var menu = Render<NavMenu>();

        Assert.Contains("admin/users", menu.Markup, StringComparison.Ordinal);
    }
}
