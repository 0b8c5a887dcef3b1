namespace Amrs.Engine.Episodes;

/// <summary>
/// The layout of one encoder token. Token t carries what is known just before step t is played: the track
/// and the observed signals of step t-1, and the context of step t (mode, target, session start, position)
/// plus the patient context. Step t's own track enters only through the candidate head and its outcomes
/// only through token t+1, so the state at token t can never see what it is asked to predict.
/// </summary>
public sealed record TokenLayout(int TrackSize, int PatientSize)
{
    public const int PreviousOutcomes = 0;
    public const int PreviousObserved = Signals.Count;
    public const int HasPrevious = 2 * Signals.Count;
    public const int Step = HasPrevious + 1;
    public const int Patient = Step + StepContext.Size;

    public int ContextSize => Patient + PatientSize;

    /// <summary>Writes token context for a step given the previous step (null at the start of a history).</summary>
    public void WriteContext(EncodedStep? previous, StepContext step, float[] patient, Span<float> into)
    {
        into[..ContextSize].Clear();
        if (previous is not null)
        {
            previous.Outcomes.AsSpan().CopyTo(into[PreviousOutcomes..]);
            previous.Observed.AsSpan().CopyTo(into[PreviousObserved..]);
            into[HasPrevious] = 1;
        }
        step.WriteTo(into[Step..]);
        patient.AsSpan().CopyTo(into[Patient..]);
    }
}
