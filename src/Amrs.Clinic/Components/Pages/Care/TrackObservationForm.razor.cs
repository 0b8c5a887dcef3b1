using System.Globalization;
using Amrs.Clinic.Services.Delivery;
using Amrs.Core.Affect;
using Amrs.Core.Sessions;
using Amrs.Data.Delivery;
using Microsoft.AspNetCore.Components;

namespace Amrs.Clinic.Components.Pages.Care;

public sealed partial class TrackObservationForm
{
    private static readonly (TrackEngagement Value, string Text)[] EngagementChoices =
    [
        (TrackEngagement.Full, "Listened fully"),
        (TrackEngagement.Partial, "Listened partly"),
        (TrackEngagement.Refused, "Refused"),
    ];

    private static readonly (int? Value, string Text)[] RatingChoices = [(null, "No rating"), (0, "Did not like it"), (1, "Liked it")];

    private const string AffectField = "affect", FractionField = "fraction";
    private TrackObservation _current = TrackObservation.Empty;

    /// <summary>Fields whose text is not a value (nothing is saved while any is here; their messages are shown).</summary>
    private readonly Dictionary<string, string> _fieldErrors = new(StringComparer.Ordinal);
    private bool _waiting; // a change is held back until the fields' errors are corrected
    private IReadOnlyList<string> _errors = [];
    private string _status = "";

    /// <summary>Prefix of the form's element ids and radio-group names (unique on the page).</summary>
    [Parameter, EditorRequired]
    public required string Id { get; set; }

    /// <summary>The latest saved version when the form opens; the form keeps its own copy after that.</summary>
    [Parameter, EditorRequired]
    public required TrackObservation Observation { get; set; }

    /// <summary>Saves the whole form as a new version (the page calls the delivery service).</summary>
    [Parameter, EditorRequired]
    public required Func<TrackObservation, Task<SaveResult>> Save { get; set; }

    /// <summary>The affect observed before the music, shown on the plane for orientation.</summary>
    [Parameter]
    public AffectPoint? Baseline { get; set; }

    /// <summary>The share of the track heard so far by the page's timer, used when "Listened partly" is chosen.</summary>
    [Parameter]
    public double? TimerFraction { get; set; }

    [Parameter]
    public bool Disabled { get; set; }

    private AffectPoint? CurrentPoint => _current is { Valence: { } v, Arousal: { } a } ? new AffectPoint(v, a) : null;

    private string FractionLabel => TimerFraction is { } t
        ? $"Share of the track heard, 0 to 1 (the timer says {t.ToString("0.00", CultureInfo.InvariantCulture)})"
        : "Share of the track heard, 0 to 1";

    protected override void OnInitialized() => _current = Observation;

    private Task AffectChangedAsync(AffectPoint? point) => ChangeAsync(_current with { Valence = point?.Valence, Arousal = point?.Arousal });

    /// <summary>
    /// Shows a field's message at once. When the last one clears, a change that waited for it is saved: the field
    /// reports its value before its error clears, so the form as it stands now is what is saved, once.
    /// </summary>
    private async Task FieldErrorAsync(string field, string? error)
    {
        if (error is null) _fieldErrors.Remove(field);
        else _fieldErrors[field] = error;
        if (_fieldErrors.Count > 0)
        {
            _errors = [.. _fieldErrors.Values];
            _status = "";
            return;
        }
        if (_waiting) await ChangeAsync(_current);
        else _errors = [];
    }

    private Task ScoreChangedAsync(OersItem item, int score) => ChangeAsync(_current.WithScore(item, score));

    private Task EngagementChangedAsync(TrackEngagement engagement)
    {
        // Leaving "Listened partly" removes the share field, and with it any error it showed.
        if (engagement != TrackEngagement.Partial) _fieldErrors.Remove(FractionField);
        return ChangeAsync(_current with
        {
            Engagement = engagement,
            ListenedFraction = engagement == TrackEngagement.Partial ? _current.ListenedFraction ?? RoundedTimerFraction : null,
        });
    }

    private Task FractionChangedAsync(double? fraction) => ChangeAsync(_current with { ListenedFraction = fraction });

    private Task RatingChangedAsync(int? rating) => ChangeAsync(_current with { Rating = rating });

    private Task NoteChangedAsync(string? note) => ChangeAsync(_current with { Note = note });

    private double? RoundedTimerFraction => TimerFraction is { } t ? Math.Round(Math.Clamp(t, 0, 1), 2) : null;

    /// <summary>Keeps what was entered, checks it here first (the service checks again) and saves it at once.</summary>
    private async Task ChangeAsync(TrackObservation next)
    {
        _current = next;
        _waiting = _fieldErrors.Count > 0;
        _errors = _waiting ? [.. _fieldErrors.Values] : next.Validate();
        if (_errors.Count > 0)
        {
            _status = "";
            return;
        }
        _status = "Saving…";
        var result = await Save(next);
        _errors = result.Errors;
        _status = result.Saved ? $"Saved (version {result.Version})." : "";
    }
}
