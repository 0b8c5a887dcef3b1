namespace Amrs.Engine.Episodes;

/// <summary>
/// A patient's steps across sessions in chronological order, with the patient's context vector.
/// <see cref="SessionCount"/> counts all sessions the patient had, including any cut off by truncation.
/// </summary>
public sealed record EncodedHistory(string PatientId, float[] PatientContext, IReadOnlyList<EncodedStep> Steps)
{
    public int Count => Steps.Count;

    /// <summary>Steps before <see cref="Steps"/> cut off by <see cref="TakeLast"/>: no longer attended to, still summarised.</summary>
    public IReadOnlyList<EncodedStep> Earlier { get; init; } = [];

    /// <summary>The last <paramref name="maxSteps"/> steps (the model only ever attends to a bounded window).</summary>
    public EncodedHistory TakeLast(int maxSteps) =>
        Steps.Count <= maxSteps ? this : this with
        {
            Steps = Steps.Skip(Steps.Count - maxSteps).ToArray(),
            Earlier = Earlier.Concat(Steps.Take(Steps.Count - maxSteps)).ToArray(),
        };

    /// <summary>This history followed by more steps (for example simulated ones).</summary>
    public EncodedHistory Append(IEnumerable<EncodedStep> more) => this with { Steps = Steps.Concat(more).ToArray() };
}
