namespace Amrs.Core.Affect;

/// <summary>The target region of each consumer mode on the valence-arousal square, and the mode limits.</summary>
public static class ModeTargets
{
    /// <summary>
    /// The centre of each mode's target region. Clinical has none of its own: the clinician sets it; the
    /// value here (pleasant, calm: "reduce agitation without lowering mood") is only the default.
    /// </summary>
    public static AffectPoint DefaultTarget(SessionMode mode) => mode switch
    {
        SessionMode.Energize => new(0.80, 0.80),
        SessionMode.Focus => new(0.60, 0.50),
        SessionMode.Calm => new(0.70, 0.30),
        SessionMode.Sleep => new(0.55, 0.10),
        SessionMode.Clinical => new(0.70, 0.35),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown session mode."),
    };

    /// <summary>The highest track arousal a mode allows at all (a hard limit, on top of a patient's own).</summary>
    public static double MaxTrackArousal(SessionMode mode) => mode switch
    {
        SessionMode.Sleep => 0.45,
        SessionMode.Calm => 0.65,
        _ => 1.0,
    };

    /// <summary>Whether a mode's target is set per session (clinical) rather than fixed by the mode.</summary>
    public static bool HasClinicianTarget(SessionMode mode) => mode == SessionMode.Clinical;
}
