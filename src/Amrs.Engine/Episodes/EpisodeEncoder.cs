using Amrs.Core.Catalog;
using Amrs.Core.Patients;
using Amrs.Core.Sessions;
using Amrs.Engine.Features;

namespace Amrs.Engine.Episodes;

/// <summary>
/// Turns patients, their logged sessions and catalog tracks into <see cref="EncodedHistory"/> values, using
/// the scaling and vocabulary of one trained model.
/// </summary>
public sealed class EpisodeEncoder
{
    private readonly IReadOnlyDictionary<string, Track> _catalog;

    public EpisodeEncoder(FeatureSpec spec, TrackVocabulary vocabulary, IEnumerable<Track> catalog)
    {
        Spec = spec;
        Tracks = new TrackFeaturizer(spec);
        Vocabulary = vocabulary;
        _catalog = catalog.ToDictionary(t => t.TrackId, StringComparer.Ordinal);
    }

    public FeatureSpec Spec { get; }

    public TrackFeaturizer Tracks { get; }

    public TrackVocabulary Vocabulary { get; }

    public int PatientContextSize => PatientFeatures.Size(Spec);

    public Track FindTrack(string trackId) =>
        _catalog.TryGetValue(trackId, out var track)
            ? track
            : throw new KeyNotFoundException($"Track '{trackId}' is not in the catalog given to the encoder.");

    /// <summary>All sessions of one patient, oldest first, as one history (not truncated).</summary>
    public EncodedHistory EncodeHistory(Patient patient, IEnumerable<LoggedSession> sessions)
    {
        var steps = new List<EncodedStep>();
        var ordinal = 0;
        foreach (var session in sessions
                     .Where(s => s.PatientId == patient.PatientId)
                     .OrderBy(s => s.StartedAt)
                     .ThenBy(s => s.SessionId, StringComparer.Ordinal))
        {
            var position = 0;
            foreach (var step in session.Steps.OrderBy(s => s.Position))
            {
                var context = new StepContext(session.Mode, session.Target, position == 0, position);
                steps.Add(EncodeStep(FindTrack(step.TrackId), context, Observe(step), session.SessionId, ordinal));
                position++;
            }
            if (position > 0) ordinal++;
        }
        return new EncodedHistory(patient.PatientId, PatientFeatures.Encode(patient, Spec), steps);
    }

    public EncodedHistory EmptyHistory(Patient patient) =>
        new(patient.PatientId, PatientFeatures.Encode(patient, Spec), []);

    public EncodedStep EncodeStep(Track track, StepContext context, SignalValues outcome, string sessionId, int sessionOrdinal)
    {
        var outcomes = new float[Signals.Count];
        var observed = new float[Signals.Count];
        Set(Signals.Engagement, outcome.Engagement);
        Set(Signals.Rating, outcome.Rating);
        Set(Signals.Valence, outcome.Valence);
        Set(Signals.Arousal, outcome.Arousal);
        return new EncodedStep(track.TrackId, Vocabulary.IndexOf(track.TrackId), Tracks.Encode(track), context,
            outcomes, observed, sessionId, sessionOrdinal);

        void Set(int signal, double? value)
        {
            if (value is not { } v || double.IsNaN(v)) return;
            outcomes[signal] = (float)Math.Clamp(v, 0, 1);
            observed[signal] = 1;
        }
    }

    private static SignalValues Observe(LoggedStep step) =>
        new(step.Engagement, step.Rating, step.Valence, step.Arousal);
}

/// <summary>Values of the four signals for one step; null where not observed.</summary>
public readonly record struct SignalValues(double? Engagement, double? Rating, double? Valence, double? Arousal);
