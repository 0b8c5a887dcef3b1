namespace Amrs.Clinic.Components.Pages.Care;

/// <summary>
/// The timer care staff run while a track plays (there is no audio in the clinic's pages): how long the patient
/// has been listening, and from that the share of the track heard when they stop part-way.
/// </summary>
public sealed class TrackStopwatch(TimeProvider clock)
{
    private TimeSpan _before;
    private long? _startedAt;

    public bool Running => _startedAt is not null;

    public TimeSpan Elapsed => _before + (_startedAt is { } start ? clock.GetElapsedTime(start) : TimeSpan.Zero);

    public void Start() => _startedAt ??= clock.GetTimestamp();

    public void Pause()
    {
        if (_startedAt is not { } start) return;
        _before += clock.GetElapsedTime(start);
        _startedAt = null;
    }

    public void Reset()
    {
        _before = TimeSpan.Zero;
        _startedAt = null;
    }

    /// <summary>The share of a track of <paramref name="durationSeconds"/> heard so far (0..1), or null when the duration is unknown.</summary>
    public double? FractionOf(double? durationSeconds) =>
        durationSeconds is { } d && d > 0 ? Math.Clamp(Elapsed.TotalSeconds / d, 0, 1) : null;

    public static string Format(TimeSpan span) => $"{(int)span.TotalMinutes}:{span.Seconds:00}";
}
