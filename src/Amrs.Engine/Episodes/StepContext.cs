using Amrs.Core.Affect;

namespace Amrs.Engine.Episodes;

/// <summary>
/// What is known about a step before its track is played: the session's mode and target, whether the step
/// opens a new session, and its position in the session.
/// </summary>
public readonly record struct StepContext(SessionMode Mode, AffectPoint Target, bool StartsSession, int PositionInSession)
{
    public const int Size = 5 + 2 + 1 + 1;

    // Positions beyond this are treated alike; sessions are rarely longer.
    private const float PositionScale = 20f;

    public void WriteTo(Span<float> into)
    {
        into[..Size].Clear();
        into[(int)Mode] = 1;
        into[5] = (float)Target.Valence;
        into[6] = (float)Target.Arousal;
        into[7] = StartsSession ? 1 : 0;
        into[8] = Math.Min(PositionInSession, PositionScale) / PositionScale;
    }

    /// <summary>The context of the step after this one in the same session.</summary>
    public StepContext Next() => this with { StartsSession = false, PositionInSession = PositionInSession + 1 };
}
