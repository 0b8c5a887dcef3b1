using Amrs.Core.Affect;

namespace Amrs.Core.Ethics;

/// <summary>
/// The content of a playlist that an approval is bound to, as it stands now. The guard recomputes its
/// <see cref="ApprovalBinding"/> hash and compares it with the one signed. A session is delivered in the
/// playlist's <see cref="Mode"/>.
/// </summary>
/// <param name="Target">The clinician-set target (clinical mode), or null for a mode's fixed region.</param>
/// <param name="ProfileVersion">The version of the utility profile the proposal was scored with.</param>
/// <param name="ModelVersions">The model versions behind the proposal (policy, world model); order does not matter.</param>
/// <param name="TrackIds">The tracks, in playing order.</param>
public sealed record BoundPlaylist(
    string PlaylistId,
    string PatientId,
    SessionMode Mode,
    AffectPoint? Target,
    string ProfileVersion,
    IReadOnlyList<string> ModelVersions,
    IReadOnlyList<string> TrackIds)
{
    public string ComputeBinding() => ApprovalBinding.Compute(this);
}
