using Amrs.Clinic.Components.Layout;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Core.Security;
using Bunit;

namespace Amrs.Clinic.Tests.Layout;

public sealed class UserMenuTests : ClinicComponentTest
{
    [Fact]
    public void Shows_the_full_name_the_role_and_a_sign_out_form()
    {
        SignInAs(Roles.CareStaff);

        var menu = Render<UserMenu>();

        Assert.Contains("Test Person", menu.Markup, StringComparison.Ordinal);
        Assert.Contains("Care staff", menu.Markup, StringComparison.Ordinal);
        var form = menu.Find("form");
        Assert.Equal("Account/Logout", form.GetAttribute("action"));
        Assert.Equal("post", form.GetAttribute("method"));
    }

    [Fact]
    public void Shows_nothing_to_somebody_not_signed_in()
    {
        var menu = Render<UserMenu>();

        Assert.Empty(menu.FindAll("form"));
    }
}
