using Amrs.Core.Catalog;
using Amrs.Core.Patients;
using Amrs.Core.Sessions;
using Amrs.Engine.Evaluation;

namespace Amrs.Cli.Evaluation.WorldModel;

/// <summary>One played track of a held-out patient, in the order the engine's encoder numbers history steps.</summary>
/// <param name="SessionOrdinal">The session's place in the patient's history (0: their first session).</param>
public sealed record HeldOutStep(
    Patient Patient,
    LoggedSession Session,
    LoggedStep Step,
    Track Track,
    int StepIndex,
    int SessionOrdinal)
{
    public HistoryBucket Bucket => OneStepEvaluator.BucketOf(SessionOrdinal);
}

/// <summary>One observed signal of a held-out step: what every predictor is scored against.</summary>
public readonly record struct SignalObservation(int StepNumber, HistoryBucket Bucket, int Signal, double Observed);

public static class HeldOutSteps
{
    /// <summary>
    /// Every step of the given patients, patient by patient, sessions oldest first (ties by session id), steps by
    /// position: the same numbering as <see cref="Amrs.Engine.Episodes.EpisodeEncoder"/>, so predictions line up.
    /// </summary>
    public static IReadOnlyList<HeldOutStep> Of(IEnumerable<Patient> patients, IEnumerable<LoggedSession> sessions,
        IReadOnlyDictionary<string, Track> catalog)
    {
        var byPatient = sessions.ToLookup(s => s.PatientId, StringComparer.Ordinal);
        var steps = new List<HeldOutStep>();
        foreach (var patient in patients)
        {
            var index = 0;
            var ordinal = 0;
            foreach (var session in byPatient[patient.PatientId].OrderBy(s => s.StartedAt).ThenBy(s => s.SessionId, StringComparer.Ordinal))
            {
                if (session.Steps.Count == 0) continue;
                foreach (var step in session.Steps.OrderBy(s => s.Position))
                    steps.Add(new HeldOutStep(patient, session, step, catalog[step.TrackId], index++, ordinal));
                ordinal++;
            }
        }
        return steps;
    }

    /// <summary>The observed signals of the steps (engagement always, the others when recorded).</summary>
    public static IReadOnlyList<SignalObservation> Observations(IReadOnlyList<HeldOutStep> steps)
    {
        var observations = new List<SignalObservation>();
        for (var i = 0; i < steps.Count; i++)
        {
            foreach (var (signal, value) in Observed(steps[i].Step))
                observations.Add(new SignalObservation(i, steps[i].Bucket, signal, value));
        }
        return observations;
    }

    /// <summary>A step's observed signals in <see cref="Amrs.Engine.Episodes.Signals"/> order (missing ones left out).</summary>
    public static IEnumerable<(int Signal, double Value)> Observed(LoggedStep step)
    {
        yield return (Engine.Episodes.Signals.Engagement, step.Engagement);
        if (step.Rating is { } r) yield return (Engine.Episodes.Signals.Rating, r);
        if (step.Valence is { } v) yield return (Engine.Episodes.Signals.Valence, v);
        if (step.Arousal is { } a) yield return (Engine.Episodes.Signals.Arousal, a);
    }
}
