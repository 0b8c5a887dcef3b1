using Amrs.Core.Audit;
using Amrs.Core.Ethics;
using Amrs.Core.Security;

namespace Amrs.Data.Tests.Audit;

/// <summary>A short sealed trail with the awkward cases: commas, quotes, line breaks, no patient, a refusal.</summary>
internal static class AuditExportSamples
{
    public static readonly DateTimeOffset Start = new(2026, 5, 1, 9, 0, 0, 250, TimeSpan.Zero);

    public static List<AuditEntry> Trail()
    {
        var refusal = GuardDecision.Refuse(GuardRules.ConsentRequired, "Patient P-0007 has not consented to music care.",
            [GuardRules.ConsentRequired]);
        AuditDraft[] drafts =
        [
            new(Start, "u-1", "Rossi, Ana \"Dr.\"", Roles.Clinician, AuditActions.SignIn, AuditEntityTypes.User, "u-1",
                null, AuditOutcome.Success),
            new(Start.AddSeconds(5), "u-1", "Rossi, Ana \"Dr.\"", Roles.Clinician, AuditActions.PlaylistApproved,
                AuditEntityTypes.Playlist, "pl-3", "P-0007", AuditOutcome.Success,
                AuditDetails.Of(new { note = "line one\nline two", tracks = 3 })),
            new(Start.AddSeconds(9), "u-2", "Jens Müller", Roles.CareStaff, AuditActions.GuardRefused,
                AuditEntityTypes.Session, "", "P-0007", AuditOutcome.Refused, refusal.ToAuditDetails(GuardChecks.StartSession)),
            new(Start.AddSeconds(12), AuditActors.SystemId, AuditActors.SystemName, AuditActors.SystemRole,
                AuditActions.TrainingFailed, AuditEntityTypes.TrainingRun, "run-4", null, AuditOutcome.Failure),
            new(Start.AddSeconds(20), "u-9", "Auditor One", Roles.Auditor, AuditActions.Export, AuditEntityTypes.AuditTrail,
                "1-4", null, AuditOutcome.Success),
        ];

        var trail = new List<AuditEntry>();
        foreach (var draft in drafts)
            trail.Add(AuditChain.Seal(draft, trail.Count == 0 ? null : trail[^1]));
        return trail;
    }

    public static async IAsyncEnumerable<AuditEntry> Stream(IEnumerable<AuditEntry> entries)
    {
        foreach (var entry in entries)
        {
            await System.Threading.Tasks.Task.Yield();
            yield return entry;
        }
    }
}
