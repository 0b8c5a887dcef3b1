namespace Amrs.Engine.Episodes;

/// <summary>
/// The layout of one encoder token. Token t carries what is known just before step t is played: the track
/// and the observed signals of step t-1, and the context of step t (mode, target, session start, position)
/// plus the patient context. Step t's own track enters only through the candidate head and its outcomes
/// only through token t+1, so the state at token t can never see what it is asked to predict.
/// After the patient block comes the <see cref="HistorySummary"/> of the steps before t (SummarySize 0: none, as
/// in models saved before it existed).
/// </summary>
public sealed record TokenLayout(int TrackSize, int PatientSize, int SummarySize = 0)
{
    public const int PreviousOutcomes = 0;
    public const int PreviousObserved = Signals.Count;
    public const int HasPrevious = 2 * Signals.Count;
    public const int Step = HasPrevious + 1;
    public const int Patient = Step + StepContext.Size;

    public int ContextSize => Patient + PatientSize + SummarySize;

    public int Summary => Patient + PatientSize;

    /// <summary>A summary of <paramref name="steps"/> fitting this layout.</summary>
    public HistorySummary Summarise(IEnumerable<EncodedStep> steps) => HistorySummary.Of(SummarySize, steps);

    /// <summary>
    /// Writes token context for a step given the previous step (null at the start of a history) and the summary of
    /// all steps before it.
    /// </summary>
    public void WriteContext(EncodedStep? previous, StepContext step, float[] patient, HistorySummary summary, Span<float> into)
    {
        WriteContextWithoutSummary(previous, step, patient, into);
        if (SummarySize > 0) summary.WriteTo(into.Slice(Summary, SummarySize), step);
    }

    /// <summary><see cref="WriteContext"/> with the summary already written (<see cref="HistorySummary.WriteTo"/>).</summary>
    public void WriteContext(EncodedStep? previous, StepContext step, float[] patient, ReadOnlySpan<float> writtenSummary, Span<float> into)
    {
        WriteContextWithoutSummary(previous, step, patient, into);
        if (SummarySize > 0) writtenSummary.CopyTo(into.Slice(Summary, SummarySize));
    }

    private void WriteContextWithoutSummary(EncodedStep? previous, StepContext step, float[] patient, Span<float> into)
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
