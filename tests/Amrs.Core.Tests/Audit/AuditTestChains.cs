using Amrs.Core.Audit;
using Amrs.Core.Security;

namespace Amrs.Core.Tests.Audit;

/// <summary>Builds small sealed chains for the tests.</summary>
internal static class AuditTestChains
{
    public static readonly DateTimeOffset Start = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static AuditDraft Draft(int n) => new(
        Start.AddSeconds(n),
        ActorId: $"user-{n % 3}",
        ActorName: $"Clinician {n % 3}",
        ActorRole: Roles.Clinician,
        Action: n % 2 == 0 ? AuditActions.PlaylistPreviewed : AuditActions.ProfileSaved,
        EntityType: AuditEntityTypes.Playlist,
        EntityId: $"pl-{n}",
        PatientId: n % 4 == 0 ? null : $"P-{n:0000}",
        Outcome: AuditOutcome.Success,
        Details: AuditDetails.Of(new { n }));

    public static List<AuditEntry> Build(int count)
    {
        var entries = new List<AuditEntry>(count);
        AuditEntry? previous = null;
        for (var n = 1; n <= count; n++)
        {
            previous = AuditChain.Seal(Draft(n), previous);
            entries.Add(previous);
        }
        return entries;
    }
}
