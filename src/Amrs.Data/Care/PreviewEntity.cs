using Amrs.Core.Ethics;

namespace Amrs.Data.Care;

/// <summary>Whether a previewed list is the model's own deterministic proposal or a clinician's edit of one.</summary>
public enum PreviewKind
{
    ModelProposal,
    ClinicianEdit,
}

/// <summary>
/// A recorded preview: the track list shown to the clinician with what the world model expected, under a given
/// profile version and model bundle. Only a list previewed exactly, under the current profile and models, can
/// be approved. Previews are never changed after they are written.
/// </summary>
public sealed class PreviewEntity
{
    public Guid Id { get; set; }
    public required string PatientId { get; set; }
    public long ProfileId { get; set; }
    public int ProfileVersion { get; set; }
    public required string ModelBundleId { get; set; }

    /// <summary>The policy version that proposed the list (inside the bundle).</summary>
    public required string PolicyVersion { get; set; }

    public PreviewKind Kind { get; set; }

    /// <summary>For an edit: the model proposal it started from (its provenance).</summary>
    public Guid? ProposalPreviewId { get; set; }

    public DecodingStrategy DecodingStrategy { get; set; }
    public double ExplorationRate { get; set; }

    /// <summary>The model's own proposal for this profile and bundle (equal to <see cref="TrackIds"/> for a proposal).</summary>
    public List<string> ProposedTrackIds { get; set; } = [];

    public List<string> TrackIds { get; set; } = [];

    /// <summary>True when the bundle was not promoted for care at the time ("simulation only" on screen).</summary>
    public bool SimulationOnly { get; set; }

    /// <summary>What the world model expected (per-step bands, engagement, like probability), as JSON.</summary>
    public required string ResultJson { get; set; }

    public bool OutOfDistribution { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedByUserId { get; set; }
    public required string CreatedByName { get; set; }
}
