using Amrs.Core.Import;
using Amrs.Engine.Episodes;
using Amrs.Simulation.Generation;
using Amrs.Simulation.Truth;

namespace Amrs.Cli.Evaluation.WorldModel;

/// <summary>
/// What the truth hides at a held-out step, which no predictor sees: the listener's mood before the track, how much they
/// like the track (the simulator's L, 0..1), their entrainment rate and their baseline mood.
/// </summary>
public readonly record struct HiddenStep(
    double MoodValence, double MoodArousal, double Liking, double EntrainmentRate, double BaselineValence, double BaselineArousal);

/// <summary>
/// The one-step-ahead predictions behind a fidelity report, one CSV row per observed signal (`amrs evaluate world-model
/// --predictions FILE`), beside the truth's hidden state at the step, so the model's errors can be taken apart by
/// history length, position in the session, or what the patient hides (the Engine README's error analysis uses it).
/// </summary>
public static class PredictionExport
{
    public static readonly string[] HiddenColumns =
        ["mood_valence_before", "mood_arousal_before", "liking", "entrainment_rate", "baseline_valence", "baseline_arousal"];

    /// <summary>The truth's hidden state at every step, replaying each patient's listener as the logs played it.</summary>
    public static HiddenStep[] HiddenStates(GeneratedWorld world, IReadOnlyList<HeldOutStep> steps) =>
        ReferencePredictors.Replay(steps, step => world.Listener(step.Patient.PatientId), (listener, _) => listener.BeginSession(),
            (listener, step) => new HiddenStep(
                listener.Affect.Valence, listener.Affect.Arousal,
                ResponseSimulator.Liking(listener.Traits, step.Track, listener.EarlierPlays(step.Track.TrackId)),
                listener.Traits.EntrainmentRate, listener.Traits.Baseline.Valence, listener.Traits.Baseline.Arousal),
            (listener, step) => listener.Advance(step.Track));

    /// <param name="predictions">Per predictor (<see cref="ReferencePredictors.All"/>) its expectation [step][signal].</param>
    public static void Write(TextWriter writer, IReadOnlyList<HeldOutStep> steps, IReadOnlyList<SignalObservation> observations,
        IReadOnlyDictionary<string, double[][]> predictions, IReadOnlyList<HiddenStep> hidden)
    {
        CsvWriting.WriteRow(writer,
            ["patient_id", "session", "position", "signal", "observed", .. ReferencePredictors.All.Select(p => p.Column), .. HiddenColumns]);
        foreach (var o in observations)
        {
            var step = steps[o.StepNumber];
            var h = hidden[o.StepNumber];
            CsvWriting.WriteRow(writer,
            [
                step.Patient.PatientId, CsvWriting.Number(step.SessionOrdinal), CsvWriting.Number(step.Step.Position), Signals.Names[o.Signal],
                CsvWriting.Number(o.Observed),
                .. ReferencePredictors.All.Select(p => CsvWriting.Number(predictions[p.Name][o.StepNumber][o.Signal])),
                CsvWriting.Number(h.MoodValence), CsvWriting.Number(h.MoodArousal), CsvWriting.Number(h.Liking),
                CsvWriting.Number(h.EntrainmentRate), CsvWriting.Number(h.BaselineValence), CsvWriting.Number(h.BaselineArousal),
            ]);
        }
    }
}
