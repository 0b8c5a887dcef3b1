namespace Amrs.Core.Sessions;

/// <summary>The five items of the Observed Emotion Rating Scale (Lawton) that care staff score per track.</summary>
public enum OersItem
{
    Pleasure,
    Anger,
    AnxietyFear,
    Sadness,
    Alertness,
}

/// <summary>
/// The Observed Emotion Rating Scale: each item is scored by how long the emotion was seen during the
/// observation, 1 (never) to 5 (more than 5 minutes). Staff rate what they see, not what the patient says.
/// </summary>
public static class ObservedEmotionScale
{
    public const int MinScore = 1;
    public const int MaxScore = 5;

    public static IReadOnlyList<OersItem> Items { get; } = Enum.GetValues<OersItem>();

    /// <summary>What each score means, by duration observed (index 0 is score 1).</summary>
    public static IReadOnlyList<string> ScoreMeanings { get; } = ["never", "under 16 s", "16–59 s", "1–5 min", "over 5 min"];

    public static bool IsValidScore(int score) => score is >= MinScore and <= MaxScore;

    public static string Meaning(int score) => IsValidScore(score)
        ? ScoreMeanings[score - MinScore]
        : throw new ArgumentOutOfRangeException(nameof(score), score, $"OERS scores are {MinScore} to {MaxScore}.");

    public static string DisplayName(OersItem item) => item switch
    {
        OersItem.Pleasure => "Pleasure",
        OersItem.Anger => "Anger",
        OersItem.AnxietyFear => "Anxiety / fear",
        OersItem.Sadness => "Sadness",
        OersItem.Alertness => "General alertness",
        _ => throw new ArgumentOutOfRangeException(nameof(item), item, "Unknown OERS item."),
    };
}
