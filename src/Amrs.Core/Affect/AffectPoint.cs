namespace Amrs.Core.Affect;

/// <summary>A point on Russell's circumplex, both axes scaled to 0..1 (0 = unpleasant / calm).</summary>
public readonly record struct AffectPoint(double Valence, double Arousal)
{
    public static readonly double MaxDistance = Math.Sqrt(2);

    public double DistanceTo(AffectPoint other)
    {
        var dv = Valence - other.Valence;
        var da = Arousal - other.Arousal;
        return Math.Sqrt(dv * dv + da * da);
    }

    public bool IsInUnitSquare => Valence is >= 0 and <= 1 && Arousal is >= 0 and <= 1;

    public AffectPoint Clamp() => new(Math.Clamp(Valence, 0, 1), Math.Clamp(Arousal, 0, 1));

    public override string ToString() => $"(v {Valence:0.00}, a {Arousal:0.00})";
}
