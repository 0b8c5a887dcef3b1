using Amrs.Core.Affect;

namespace Amrs.Core.Metrics;

/// <summary>
/// How close a session brought the listener to its target on the valence-arousal square. Each step's
/// distance is between the affect after the track and the target.
/// </summary>
/// <param name="Attainment">1 - mean distance / sqrt(2): 1 on target all along, 0 at the far corner.</param>
/// <param name="MeanDistance">Mean per-step distance to the target.</param>
/// <param name="FinalDistance">Distance after the last step (where the session left the listener).</param>
/// <param name="ShareWithinTolerance">Share of steps within <see cref="DefaultTolerance"/> (or the given tolerance).</param>
public sealed record TargetAttainment(double Attainment, double MeanDistance, double FinalDistance, double ShareWithinTolerance)
{
    public const double DefaultTolerance = 0.1;

    public static TargetAttainment Compute(ReadOnlySpan<AffectPoint> affectAfterStep, AffectPoint target, double tolerance = DefaultTolerance)
    {
        if (affectAfterStep.IsEmpty)
            throw new ArgumentException("A session needs at least one step to be scored.", nameof(affectAfterStep));
        double sum = 0;
        var within = 0;
        foreach (var point in affectAfterStep)
        {
            var d = point.DistanceTo(target);
            sum += d;
            if (d <= tolerance)
                within++;
        }
        var mean = sum / affectAfterStep.Length;
        return new TargetAttainment(
            Attainment: 1 - mean / AffectPoint.MaxDistance,
            MeanDistance: mean,
            FinalDistance: affectAfterStep[^1].DistanceTo(target),
            ShareWithinTolerance: (double)within / affectAfterStep.Length);
    }
}
