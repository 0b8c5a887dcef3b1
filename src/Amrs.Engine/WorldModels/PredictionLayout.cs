namespace Amrs.Engine.WorldModels;

/// <summary>
/// Columns of a world-model prediction tensor [..., 7]. Means are logits (sigmoid gives 0..1); log-variances
/// are already bounded to [<see cref="MinLogVariance"/>, <see cref="MaxLogVariance"/>].
/// </summary>
public static class PredictionLayout
{
    public const int EngagementLogit = 0;
    public const int EngagementLogVariance = 1;
    public const int RatingLogit = 2;
    public const int ValenceLogit = 3;
    public const int ValenceLogVariance = 4;
    public const int ArousalLogit = 5;
    public const int ArousalLogVariance = 6;
    public const int Size = 7;

    public const float MinLogVariance = -7f;
    public const float MaxLogVariance = 0f;
}
