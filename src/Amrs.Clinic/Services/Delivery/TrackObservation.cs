using System.Globalization;
using Amrs.Core.Sessions;
using Amrs.Data.Delivery;

namespace Amrs.Clinic.Services.Delivery;

/// <summary>
/// What care staff record for one track, as a whole: every save stores the full form as a new version, so the
/// latest version is the record and earlier ones show how it was corrected. Unrecorded fields are null.
/// </summary>
public sealed record TrackObservation(
    double? Valence = null,
    double? Arousal = null,
    int? Pleasure = null,
    int? Anger = null,
    int? AnxietyFear = null,
    int? Sadness = null,
    int? Alertness = null,
    TrackEngagement? Engagement = null,
    double? ListenedFraction = null,
    int? Rating = null,
    string? Note = null)
{
    public const int MaxNoteLength = 4000;

    public static TrackObservation Empty { get; } = new();

    public int? Score(OersItem item) => item switch
    {
        OersItem.Pleasure => Pleasure,
        OersItem.Anger => Anger,
        OersItem.AnxietyFear => AnxietyFear,
        OersItem.Sadness => Sadness,
        OersItem.Alertness => Alertness,
        _ => throw new ArgumentOutOfRangeException(nameof(item), item, "Unknown OERS item."),
    };

    public TrackObservation WithScore(OersItem item, int? score) => item switch
    {
        OersItem.Pleasure => this with { Pleasure = score },
        OersItem.Anger => this with { Anger = score },
        OersItem.AnxietyFear => this with { AnxietyFear = score },
        OersItem.Sadness => this with { Sadness = score },
        OersItem.Alertness => this with { Alertness = score },
        _ => throw new ArgumentOutOfRangeException(nameof(item), item, "Unknown OERS item."),
    };

    /// <summary>What is out of range, each message naming its field; empty when the observation can be saved.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Unit(errors, "Valence", Valence);
        Unit(errors, "Arousal", Arousal);
        if (Valence is null != Arousal is null)
            errors.Add("Valence and arousal: record both or neither (they are one point on the plane).");
        foreach (var item in ObservedEmotionScale.Items)
        {
            if (Score(item) is { } score && !ObservedEmotionScale.IsValidScore(score))
                errors.Add($"{ObservedEmotionScale.DisplayName(item)}: {score} is not a score; use {ObservedEmotionScale.MinScore} (never) to {ObservedEmotionScale.MaxScore} (over 5 minutes).");
        }
        if (Engagement is { } engagement && !Enum.IsDefined(engagement))
            errors.Add($"Engagement: {(int)engagement} is not an engagement.");
        Unit(errors, "Listened fraction", ListenedFraction);
        if (Engagement == TrackEngagement.Partial && ListenedFraction is null)
            errors.Add("Listened fraction: a partly listened track needs the share heard (from the timer).");
        if (Rating is { } rating && rating is not (0 or 1))
            errors.Add($"Rating: {rating} is not allowed; use 0 (did not like) or 1 (liked), or leave it empty.");
        if (Note is { Length: > MaxNoteLength })
            errors.Add($"Note: at most {MaxNoteLength:N0} characters ({Note.Length:N0} entered).");
        return errors;
    }

    private static void Unit(List<string> errors, string field, double? value)
    {
        if (value is { } v && !(v is >= 0 and <= 1))
            errors.Add($"{field}: {v.ToString("0.###", CultureInfo.InvariantCulture)} is outside 0 to 1.");
    }

    public static TrackObservation From(DeliveryObservationEntity e) =>
        new(e.Valence, e.Arousal, e.Pleasure, e.Anger, e.AnxietyFear, e.Sadness, e.Alertness, e.Engagement, e.ListenedFraction, e.Rating, e.Note);

    public void CopyTo(DeliveryObservationEntity e)
    {
        e.Valence = Valence;
        e.Arousal = Arousal;
        e.Pleasure = Pleasure;
        e.Anger = Anger;
        e.AnxietyFear = AnxietyFear;
        e.Sadness = Sadness;
        e.Alertness = Alertness;
        e.Engagement = Engagement;
        e.ListenedFraction = ListenedFraction;
        e.Rating = Rating;
        e.Note = string.IsNullOrWhiteSpace(Note) ? null : Note.Trim();
    }
}
