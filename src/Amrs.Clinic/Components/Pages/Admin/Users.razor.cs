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
    private PendingStep? _pending;
    private ElementReference _messages;
    private MudBlazor.MudTextField<string>? _fullName;
    private Func<ValueTask>? _focusAfterRender;

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

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_focusAfterRender is not { } focus) return;
        _focusAfterRender = null;
        await focus();
    }

    /// <summary>Fills the form with the account and moves to it (it sits above the table, often out of view).</summary>
    private void Edit(UserSummary user)
    {
        _editing = user;
        _pending = null;
        _form = new AccountForm { UserName = user.UserName, FullName = user.FullName, CareUnit = user.CareUnit, Roles = [.. user.Roles] };
        _errors = [];
        _notice = null;
        _focusAfterRender = () => _fullName?.FocusAsync() ?? ValueTask.CompletedTask;
    }

    private void Ask(UserSummary user, Func<UserSummary, PendingStep> step) => _pending = step(user);

    private Task ConfirmAsync()
    {
        if (_pending is not { } pending) return Task.CompletedTask;
        _pending = null;
        return RunAsync(() => pending.Run(Admin), pending.Success);
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
            _focusAfterRender = () => _messages.FocusAsync();
        }
    }

    /// <summary>A step that ends the person's open pages, waiting for the Admin to confirm it on the account's row.</summary>
    private sealed record PendingStep(UserSummary User, string Question, string Verb, string Success, Func<UserAdministration, Task<AccountResult>> Run)
    {
        public static PendingStep Lock(UserSummary user) => new(user, $"Lock {user.UserName}? Their open pages end.", "Lock",
            $"{user.UserName} is locked.", admin => admin.LockAsync(user.Id));

        public static PendingStep ResetPassword(UserSummary user) => new(user,
            $"Give {user.UserName} a new one-time password? Their current password stops working and their open pages end.",
            "Reset password", $"New one-time password for {user.UserName}", admin => admin.ResetPasswordAsync(user.Id));
    }

    private sealed class AccountForm
    {
        public string UserName { get; set; } = "";
        public string FullName { get; set; } = "";
        public string? CareUnit { get; set; }
        public List<string> Roles { get; set; } = [];
    }
}
