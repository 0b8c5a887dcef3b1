namespace Amrs.Clinic.Services.Users;

/// <summary>Identity refused a change inside a transaction (a password rule, a duplicate name): roll back, show the reasons.</summary>
internal sealed class IdentityRefusedException(IReadOnlyList<string> errors) : Exception(string.Join(" ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
