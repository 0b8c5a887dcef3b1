using Amrs.Core.Affect;
using Amrs.Core.Utility;

namespace Amrs.Engine.Policies;

/// <summary>
/// What the policy is asked to optimise, as the vector its query head reads: the utility weights normalised to
/// sum 1 (only ratios matter), the session target and the mode (one-hot). One network serves every patient's
/// weights because the weights are an input, not baked into the parameters.
/// </summary>
public static class PolicyCondition
{
    public const int Size = UtilityWeights.Count + 2 + 5;

    public static float[] Encode(UtilityWeights weights, AffectPoint target, SessionMode mode)
    {
        var sum = weights.Sum;
        if (sum <= 0) throw new ArgumentException("At least one weight must be above 0.", nameof(weights));
        var values = weights.ToArray();
        var into = new float[Size];
        for (var i = 0; i < UtilityWeights.Count; i++) into[i] = (float)(values[i] / sum);
        into[UtilityWeights.Count] = (float)target.Valence;
        into[UtilityWeights.Count + 1] = (float)target.Arousal;
        into[UtilityWeights.Count + 2 + (int)mode] = 1;
        return into;
    }

    public static float[] Encode(UtilityProfile profile) => Encode(profile.Weights, profile.Target, profile.Mode);

    /// <summary>What behaviour cloning conditions on: the logged mode and target with that mode's default weights.</summary>
    public static float[] ForLogged(SessionMode mode, AffectPoint target) => Encode(UtilityWeights.DefaultFor(mode), target, mode);
}
