using Microsoft.AspNetCore.Components;

namespace Amrs.Clinic.Components.Account;

/// <summary>Redirects from the static account pages, only ever to a path inside the clinic (no open redirects).</summary>
internal sealed class IdentityRedirectManager(NavigationManager navigation)
{
    public void RedirectTo(string? uri)
    {
        uri ??= "";
        if (!Uri.IsWellFormedUriString(uri, UriKind.Relative) || uri.StartsWith("//", StringComparison.Ordinal) || uri.Contains('\\', StringComparison.Ordinal))
            uri = navigation.ToBaseRelativePath(navigation.BaseUri);
        navigation.NavigateTo(uri);
    }
}
