using Amrs.Core.Affect;
using Amrs.Core.Ethics;
using Amrs.Core.Patients;
using Amrs.Core.Sessions;
using Amrs.Core.Utility;

namespace Amrs.Clinic.Services.Engine;

/// <summary>Which policy of a bundle proposes: the DPO fine-tuned one (for care) or the cloned one (for comparison).</summary>
public enum PolicyKind
{
    Dpo,
    BehaviourCloning,
}

/// <summary>A model bundle as the clinic sees it: its id, the versions inside, and whether it may serve care.</summary>
public sealed record BundleInfo(string BundleId, ModelCareStatus Status, string WorldModelVersion, string BcPolicyVersion, string DpoPolicyVersion)
{
    public bool ServesCare => Status == ModelCareStatus.PromotedForCare;

    public string PolicyVersion(PolicyKind kind) => kind == PolicyKind.Dpo ? DpoPolicyVersion : BcPolicyVersion;

    public IReadOnlyList<string> ModelVersions => [WorldModelVersion, BcPolicyVersion, DpoPolicyVersion];
}

/// <summary>What a proposal or a simulation is for: a patient, their logged history, their goals.</summary>
public sealed record CareContext(Patient Patient, IReadOnlyList<LoggedSession> History, UtilityProfile Profile, AffectPoint? CurrentAffect = null);

/// <summary>A deterministic proposal: the same bundle, policy and context always give the same list.</summary>
public sealed record Proposal(string BundleId, string PolicyVersion, DecodingSettings Decoding, IReadOnlyList<string> TrackIds);

/// <summary>10/50/90 % band and mean of one predicted signal at one step.</summary>
public readonly record struct Band(double Mean, double P10, double P50, double P90);

/// <summary>What the world model expects at one step of a playlist, across trajectories and ensemble members.</summary>
public sealed record StepForecast(int Position, string TrackId, Band Valence, Band Arousal, Band Engagement, double LikeProbability, AffectPoint StepTarget);

/// <summary>Rollouts of a track list: per-step forecasts and the out-of-distribution assessment in plain words.</summary>
public sealed record PlaylistSimulation(IReadOnlyList<StepForecast> Steps, bool OutOfDistribution, string OutOfDistributionReason, double PredictedAttainment);

/// <summary>
/// The clinic's door to the learned models (Amrs.Engine): proposals by a bundle's policies, decoded
/// deterministically for care, and world-model rollouts of any track list. Implementations serialise access to
/// the models and keep loaded bundles in memory.
/// </summary>
public interface ICareEngine
{
    /// <summary>The bundle promoted for care now, or null when none is.</summary>
    Task<BundleInfo?> CareBundleAsync(CancellationToken cancellationToken = default);

    /// <summary>Any registered bundle (candidates serve previews only, marked "simulation only").</summary>
    Task<BundleInfo?> BundleAsync(string bundleId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Loads the bundle as care would (every model verified against its card's hashes) and completes, or fails with a
    /// <see cref="ModelBundleUnavailableException"/> that says why it cannot serve. Governance asks before a bundle is
    /// proposed or signed for care.
    /// </summary>
    Task VerifyLoadsAsync(string bundleId, CancellationToken cancellationToken = default);

    /// <summary>Greedy decoding, no repeats, every hard constraint applied.</summary>
    Task<Proposal> ProposeAsync(string bundleId, PolicyKind policy, CareContext context, CancellationToken cancellationToken = default);

    /// <summary>Simulates <paramref name="trackIds"/> with the bundle's world model (default 64 trajectories across the ensemble).</summary>
    Task<PlaylistSimulation> SimulateAsync(string bundleId, CareContext context, IReadOnlyList<string> trackIds, int trajectories = 64, CancellationToken cancellationToken = default);
}
