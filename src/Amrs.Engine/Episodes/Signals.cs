namespace Amrs.Engine.Episodes;

/// <summary>The four observed signals of a step, in the order used by every label and prediction tensor.</summary>
public static class Signals
{
    public const int Engagement = 0;
    public const int Rating = 1;
    public const int Valence = 2;
    public const int Arousal = 3;
    public const int Count = 4;

    public static readonly IReadOnlyList<string> Names = ["engagement", "rating", "valence", "arousal"];
}
