namespace Amrs.Core.Security;

/// <summary>
/// Authorisation policies by what a person may do, not by who they are. Pages and services name a policy;
/// the mapping from roles to policies lives here and nowhere else.
/// </summary>
public static class Policies
{
    /// <summary>Edit utility profiles, preview, approve and reject playlists.</summary>
    public const string ClinicalWork = nameof(ClinicalWork);

    /// <summary>See the clinician's workspace without signing (Admins may look).</summary>
    public const string ClinicalView = nameof(ClinicalView);

    /// <summary>Deliver approved sessions and record observations.</summary>
    public const string CareDelivery = nameof(CareDelivery);

    /// <summary>See the care-staff screens without delivering (Clinicians may look).</summary>
    public const string CareView = nameof(CareView);

    /// <summary>Read the audit log, verify the chain, export.</summary>
    public const string AuditReview = nameof(AuditReview);

    /// <summary>Manage accounts, patients' assignments, imports and model training.</summary>
    public const string Administration = nameof(Administration);

    /// <summary>See the model registry (Admins; Clinicians may look).</summary>
    public const string ModelView = nameof(ModelView);

    /// <summary>The roles each policy admits.</summary>
    public static IReadOnlyDictionary<string, string[]> RolesFor { get; } = new Dictionary<string, string[]>
    {
        [ClinicalWork] = [Roles.Clinician],
        [ClinicalView] = [Roles.Clinician, Roles.Admin],
        [CareDelivery] = [Roles.CareStaff],
        [CareView] = [Roles.CareStaff, Roles.Clinician],
        [AuditReview] = [Roles.Auditor],
        [Administration] = [Roles.Admin],
        [ModelView] = [Roles.Admin, Roles.Clinician],
    };
}
