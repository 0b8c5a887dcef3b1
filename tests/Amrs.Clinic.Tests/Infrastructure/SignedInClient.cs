using System.Net;
using System.Text.RegularExpressions;
using Amrs.Data.Seeding;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Amrs.Clinic.Tests.Infrastructure;

/// <summary>Signs in through the real sign-in form (antiforgery token and all) and keeps the cookie.</summary>
public static partial class SignedInClient
{
    public static HttpClient Anonymous(WebApplicationFactory<Program> factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static async Task<HttpClient> ForRoleAsync(WebApplicationFactory<Program> factory, string role)
    {
        var account = DemoAccounts.For(role);
        var client = Anonymous(factory);
        var response = await SignInAsync(client, account.UserName, ClinicFactory.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>Posts the sign-in form; a success answers 302, a refusal re-renders the form (200).</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string userName, string password)
    {
        var form = await client.GetStringAsync("/Account/Login");
        var token = AntiforgeryToken().Match(form);
        Assert.True(token.Success, "the sign-in form has no antiforgery token");
        return await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["__RequestVerificationToken"] = token.Groups[1].Value,
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        }));
    }

    /// <summary>Signs out through the sign-out form of a page (its antiforgery token included).</summary>
    public static async Task<HttpResponseMessage> SignOutAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/");
        var token = AntiforgeryToken().Match(page);
        Assert.True(token.Success, "the page has no sign-out form with an antiforgery token");
        return await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token.Groups[1].Value,
        }));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
