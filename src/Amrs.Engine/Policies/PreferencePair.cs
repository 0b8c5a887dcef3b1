using Amrs.Engine.Episodes;

namespace Amrs.Engine.Policies;

/// <summary>
/// One DPO preference: under <see cref="Condition"/> (weights, target, mode), after <see cref="Before"/> and the
/// steps already in the session (<see cref="SessionSoFar"/>, outcomes unknown, as when proposing), the chosen
/// track list is preferred to the rejected one. Tracks are catalog indices of the policy's catalog.
/// <see cref="Allowed"/> is the hard-constraint mask of the session; tracks in the list so far are excluded at
/// each step, as the decoder does.
/// </summary>
public sealed record PreferencePair(
    string Kind,
    EncodedHistory Before,
    IReadOnlyList<EncodedStep> SessionSoFar,
    StepContext Start,
    float[] Condition,
    bool[] Allowed,
    IReadOnlyList<int> Chosen,
    IReadOnlyList<int> Rejected,
    double ChosenUtility,
    double RejectedUtility)
{
    public const string Correction = "correction";
    public const string Playlist = "playlist";
    public const string Step = "step";
}
