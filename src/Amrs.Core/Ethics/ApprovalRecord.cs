namespace Amrs.Core.Ethics;

/// <summary>
/// A clinician's signed decision on a playlist (21 CFR 11.50): who signed (id, printed name, role), when, what the
/// signature means, for how long it holds, and the <see cref="BindingHash"/> that ties it to the exact content
/// signed (11.70; see <see cref="ApprovalBinding"/>). Changing the playlist after signing breaks the binding.
/// </summary>
public sealed record ApprovalRecord(
    string PlaylistId,
    string PatientId,
    ApprovalStatus Status,
    string SignerId,
    string SignerPrintedName,
    string SignerRole,
    DateTimeOffset SignedAt,
    string Meaning,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidUntil,
    string BindingHash);

/// <summary>Where an approval stands. Only <see cref="Approved"/> lets a session start.</summary>
public enum ApprovalStatus
{
    Pending,
    Approved,
    Rejected,
    Revoked,
    Superseded,
}

/// <summary>The meanings a signature can carry (shown with the printed name and time, 21 CFR 11.50(a)(3)).</summary>
public static class SignatureMeanings
{
    /// <summary>The clinician approves the playlist for care: the words shown and confirmed at signing, and stored.</summary>
    public const string Approval = "Approved for delivery";

    /// <summary>The clinician rejects the playlist.</summary>
    public const string Rejection = "Rejection";

    /// <summary>The clinician withdraws an approval: the playlist may no longer be delivered.</summary>
    public const string Revocation = "Withdrawn from delivery";

    /// <summary>The clinician is the author of an edit of a proposed playlist.</summary>
    public const string Authorship = "Authorship";
}
