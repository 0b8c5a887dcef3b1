using Amrs.Core.Affect;
using Amrs.Core.Catalog;
using Amrs.Simulation.Cohort;

namespace Amrs.Simulation.Truth;

/// <summary>
/// Something that answers "what would this listener do if this track came next", given everything played so
/// far: the ground truth for one patient (<see cref="SimulatedListener"/>) or the population oracle.
/// </summary>
public interface IListenerModel
{
    /// <summary>Starts a new session; plays of earlier sessions are remembered (familiarity).</summary>
    void BeginSession();

    /// <summary>The noise-free expectation for the next track; does not change the state.</summary>
    ExpectedResponse Expected(Track track);

    /// <summary>Plays the track: the state moves on as the truth says (no observation drawn).</summary>
    void Advance(Track track);

    /// <summary>The (expected) latent affect state now.</summary>
    AffectPoint Affect { get; }

    /// <summary>Tracks played so far in the current session.</summary>
    int Position { get; }
}

/// <summary>One patient as the ground truth sees them, with their listening history.</summary>
public sealed class SimulatedListener(ResponseSimulator simulator, PatientTraits traits) : IListenerModel
{
    private readonly Dictionary<string, int> _plays = new(StringComparer.Ordinal);

    public PatientTraits Traits { get; } = traits;

    public AffectPoint Affect { get; private set; } = traits.Baseline;

    public int Position { get; private set; }

    public void BeginSession()
    {
        Affect = Traits.Baseline;
        Position = 0;
    }

    public int EarlierPlays(string trackId) => _plays.GetValueOrDefault(trackId);

    public ExpectedResponse Expected(Track track) =>
        simulator.Expected(Traits, Affect, Position, EarlierPlays(track.TrackId), track);

    /// <summary>Plays the track, draws what would be observed, and moves the state on.</summary>
    public ObservedResponse Play(Track track, Random rng)
    {
        var observed = simulator.Observe(Traits, Affect, Position, EarlierPlays(track.TrackId), track, rng);
        Advance(track);
        return observed;
    }

    public void Advance(Track track)
    {
        var plays = EarlierPlays(track.TrackId);
        var liking = ResponseSimulator.Liking(Traits, track, plays);
        Affect = ResponseSimulator.NextState(Traits, Affect, track, liking);
        _plays[track.TrackId] = plays + 1;
        Position++;
    }
}
