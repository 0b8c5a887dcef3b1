namespace Amrs.Core.Ethics;

/// <summary>
/// Where a playlist for care came from: a model's proposal, optionally edited and signed by a clinician.
/// The caller fills <see cref="ReproducedTrackIds"/> by decoding again with the recorded
/// <see cref="ModelVersion"/> and inputs, so the guard compares what the model gives now with what was
/// recorded, instead of trusting a "deterministic" flag; and <see cref="ModelStatus"/> from the model registry
/// as it stands now.
/// </summary>
/// <param name="PatientId">The patient the proposal was made for.</param>
/// <param name="ModelVersion">The policy version that made the proposal.</param>
/// <param name="ModelStatus">That version's status in the model registry now.</param>
/// <param name="Decoding">How the proposal was decoded, as recorded with it.</param>
/// <param name="ProposedTrackIds">The track list the model proposed, as recorded.</param>
/// <param name="ReproducedTrackIds">The track list decoding again gives (empty if it could not be reproduced).</param>
/// <param name="Edit">The clinician's signed edit, if the playlist is an edit of the proposal.</param>
public sealed record ProposalProvenance(
    string PatientId,
    string ModelVersion,
    ModelCareStatus ModelStatus,
    DecodingSettings Decoding,
    IReadOnlyList<string> ProposedTrackIds,
    IReadOnlyList<string> ReproducedTrackIds,
    ClinicianEdit? Edit = null)
{
    /// <summary>The track list meant for care: the signed edit if there is one, else the proposal.</summary>
    public IReadOnlyList<string> CareTrackIds => Edit?.TrackIds ?? ProposedTrackIds;
}

/// <summary>How a policy turned scores into a track list.</summary>
/// <param name="Strategy">Greedy (always the best-scored track) or sampling.</param>
/// <param name="ExplorationRate">Probability of an exploratory pick (epsilon); must be 0 for care.</param>
public sealed record DecodingSettings(DecodingStrategy Strategy, double ExplorationRate = 0)
{
    public static DecodingSettings Greedy { get; } = new(DecodingStrategy.Greedy);

    /// <summary>Whether the same model and inputs always give the same list (greedy with no exploration).</summary>
    public bool IsDeterministic => Strategy == DecodingStrategy.Greedy && ExplorationRate == 0;
}

public enum DecodingStrategy
{
    /// <summary>Always the highest-scoring allowed track.</summary>
    Greedy,

    /// <summary>Tracks drawn at random in proportion to the policy's probabilities (simulation and research only).</summary>
    Sampling,
}

/// <summary>A model version's standing in the registry. Only <see cref="PromotedForCare"/> may propose for care.</summary>
public enum ModelCareStatus
{
    Candidate,
    Proposed,
    PromotedForCare,
    RolledBack,
    Retired,
}

/// <summary>A clinician's signed edit of a proposal (the signature's meaning is <see cref="SignatureMeanings.Authorship"/>).</summary>
public sealed record ClinicianEdit(
    string EditorId,
    string EditorPrintedName,
    string EditorRole,
    DateTimeOffset SignedAt,
    string Meaning,
    IReadOnlyList<string> TrackIds);
