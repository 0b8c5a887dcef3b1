using Amrs.Clinic.Security;
using Amrs.Clinic.Services.Users;
using Microsoft.AspNetCore.Components;

namespace Amrs.Clinic.Components.Pages.Admin;

public sealed partial class Users
{
    private IReadOnlyList<UserSummary>? _users;
    private UserSummary? _editing;
    private AccountForm _form = new();
    private List<string> _errors = [];
    private string? _notice;
    private bool _busy;

    [Inject]
    private UserAdministration Admin { get; set; } = default!;

    protected override Task OnInitializedAsync() => ReloadAsync();

    private async Task ReloadAsync()
    {
        try
        {
            _users = await Admin.ListAsync();
        }
        catch (AccessDeniedException e)
        {
            _errors = [e.Message];
        }
    }

    private void ToggleRole(string role, bool on)
    {
        if (on && !_form.Roles.Contains(role)) _form.Roles.Add(role);
        if (!on) _form.Roles.Remove(role);
    }

    private void Edit(UserSummary user)
    {
        _editing = user;
        _form = new AccountForm { UserName = user.UserName, FullName = user.FullName, CareUnit = user.CareUnit, Roles = [.. user.Roles] };
        _errors = [];
        _notice = null;
    }

    private void CancelEdit()
    {
        _editing = null;
        _form = new AccountForm();
    }

    private Task SaveAsync() => _editing is null
        ? RunAsync(() => Admin.CreateAsync(new NewAccount(_form.UserName, _form.FullName, _form.Roles, _form.CareUnit)), $"Account {_form.UserName.Trim()} created. One-time password", clearForm: true)
        : RunAsync(() => Admin.UpdateAsync(_editing.Id, _form.FullName, _form.Roles, _form.CareUnit), $"{_editing.UserName} saved.", clearForm: true);

    private async Task RunAsync(Func<Task<AccountResult>> operation, string success, bool clearForm = false)
    {
        _busy = true;
        _errors = [];
        _notice = null;
        try
        {
            var result = await operation();
            if (!result.Succeeded)
            {
                _errors = [.. result.Errors];
                return;
            }
            _notice = result.TemporaryPassword is null ? success : $"{success}: {result.TemporaryPassword} (shown once; the person should change it after signing in).";
            if (clearForm) CancelEdit();
            await ReloadAsync();
        }
        catch (AccessDeniedException e)
        {
            _errors = [e.Message];
        }
        finally
        {
            _busy = false;
        }
    }

    private sealed class AccountForm
    {
        public string UserName { get; set; } = "";
        public string FullName { get; set; } = "";
        public string? CareUnit { get; set; }
        public List<string> Roles { get; set; } = [];
    }
}
