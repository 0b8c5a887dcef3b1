namespace Amrs.Clinic.Components.Pages.Preview;

/// <summary>What the clinician enters to sign: the password again, the meaning confirmed, the date the list is for, notes for care staff.</summary>
public sealed record SignatureRequest(string Password, bool MeaningConfirmed, DateOnly ScheduledFor, string? Notes);

/// <summary>What the clinician enters to withdraw an approved list: which one, the password again, the meaning confirmed, the reason.</summary>
public sealed record WithdrawalRequest(Guid ApprovalId, string Password, bool MeaningConfirmed, string Reason);
