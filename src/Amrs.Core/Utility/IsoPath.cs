using Amrs.Core.Affect;

namespace Amrs.Core.Utility;

/// <summary>
/// The iso principle of music therapy: start near the listener's current state and move gradually toward the
/// target. The step targets move in a straight line and reach the goal at three quarters of the playlist, then
/// stay there.
/// </summary>
public static class IsoPath
{
    public const double ArrivalFraction = 0.75;

    public static AffectPoint TargetAt(AffectPoint start, AffectPoint goal, int step, int length)
    {
        if (length <= 1) return goal;
        var arrival = Math.Max(1.0, (length - 1) * ArrivalFraction);
        var t = Math.Clamp((step + 1) / arrival, 0, 1);
        return new AffectPoint(start.Valence + (goal.Valence - start.Valence) * t, start.Arousal + (goal.Arousal - start.Arousal) * t);
    }

    /// <summary>Every step's target for a playlist of <paramref name="length"/> tracks.</summary>
    public static AffectPoint[] Path(AffectPoint start, AffectPoint goal, int length) =>
        Enumerable.Range(0, length).Select(i => TargetAt(start, goal, i, length)).ToArray();
}
