using Amrs.Engine.Episodes;

namespace Amrs.Engine.Rollouts;

/// <summary>
/// What to simulate: the patient's history so far, the context of the first simulated step (mode, target,
/// whether it opens a session), how many trajectories and the seed (same seed, same thread count: same result).
/// </summary>
public sealed record RolloutRequest(EncodedHistory History, StepContext Start, int Trajectories = 64, int Seed = 1);

/// <summary>One fixed-playlist rollout of a batch (see <see cref="RolloutEngine.RolloutMany"/>).</summary>
public sealed record PlaylistRollout(RolloutRequest Request, Amrs.Engine.WorldModels.CandidateSet Playlist);

/// <summary>Mean and 10/50/90 % quantiles of a signal across trajectories at one step.</summary>
public readonly record struct SignalBand(double Mean, double P10, double P50, double P90);

/// <summary>One simulated step of one trajectory: the chosen candidate and the sampled outcomes (Signals order).</summary>
public sealed record SimulatedStep(int CandidateIndex, string TrackId, float[] Outcomes);

/// <summary>
/// The per-step summary of a rollout. <see cref="TrackId"/> is set when every trajectory played the same
/// track (always for a fixed playlist). Rating's mean is the share of positive ratings.
/// </summary>
public sealed record RolloutStep(
    int Step,
    string? TrackId,
    SignalBand Engagement,
    SignalBand Rating,
    SignalBand Valence,
    SignalBand Arousal)
{
    public SignalBand this[int signal] => signal switch
    {
        Signals.Engagement => Engagement,
        Signals.Rating => Rating,
        Signals.Valence => Valence,
        Signals.Arousal => Arousal,
        _ => throw new ArgumentOutOfRangeException(nameof(signal)),
    };
}

/// <summary>
/// Result of a rollout: per-step bands and every trajectory's steps (trajectory i was simulated by
/// ensemble member i mod K).
/// </summary>
public sealed record RolloutResult(IReadOnlyList<RolloutStep> Steps, IReadOnlyList<IReadOnlyList<SimulatedStep>> Trajectories);

/// <summary>
/// What a policy sees before choosing step <see cref="Step"/>: every trajectory's simulated steps so far.
/// It returns one candidate index (into the rollout's candidate set) per trajectory, in trajectory order.
/// </summary>
public sealed record RolloutPolicyInput(
    int Step,
    EncodedHistory History,
    IReadOnlyList<IReadOnlyList<SimulatedStep>> SoFar);

public delegate IReadOnlyList<int> RolloutPolicy(RolloutPolicyInput input);
