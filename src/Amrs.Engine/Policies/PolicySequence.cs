using Amrs.Engine.Episodes;

namespace Amrs.Engine.Policies;

/// <summary>
/// One token sequence for the policy. Token t carries step t-1 (the step before the first is
/// <see cref="Previous"/>) and the context of step t; a final query token with context <see cref="Next"/>
/// follows when it is set. A proposal is decoded before its session is played, so outcomes of proposed steps
/// are never known: steps from <see cref="HideOutcomesFrom"/> on carry none, and in training
/// <see cref="HideWithinSession"/> hides the outcomes of earlier steps of the same session so the policy learns
/// to propose without them.
/// <para>
/// Every token also carries the world model's <see cref="HistorySummary"/> of the steps before it (when the policy's
/// layout has one): <see cref="Earlier"/>, <see cref="Previous"/> and the sequence's own steps, with the outcomes a
/// token may not see left out of its summary as they are left out of its token (<see cref="PolicyTensors"/>).
/// </para>
/// </summary>
public sealed record PolicySequence(
    float[] PatientContext,
    IReadOnlyList<EncodedStep> Steps,
    EncodedStep? Previous = null,
    StepContext? Next = null,
    int HideOutcomesFrom = int.MaxValue,
    bool HideWithinSession = false)
{
    /// <summary>The patient's steps before <see cref="Previous"/>: no token of their own, summarised only.</summary>
    public IReadOnlyList<EncodedStep> Earlier { get; init; } = [];

    public int Tokens => Steps.Count + (Next is null ? 0 : 1);

    public EncodedStep? PreviousOf(int token) => token == 0 ? Previous : Steps[token - 1];

    public StepContext ContextOf(int token) =>
        token < Steps.Count ? Steps[token].Context : Next ?? throw new ArgumentOutOfRangeException(nameof(token));

    /// <summary>Whether the outcomes of the step before <paramref name="token"/> are hidden from it.</summary>
    public bool HidesPreviousOutcome(int token)
    {
        if (PreviousOf(token) is not { } previous) return false;
        if (token - 1 >= HideOutcomesFrom) return true;
        return HideWithinSession && !ContextOf(token).StartsSession;
    }

    /// <summary>
    /// A history (its last steps, so that it and <paramref name="proposed"/> fit in <paramref name="maxTokens"/>)
    /// followed by proposed steps without outcomes and a query token for <paramref name="next"/>.
    /// </summary>
    public static PolicySequence ForProposal(EncodedHistory history, IReadOnlyList<EncodedStep> proposed, StepContext next, int maxTokens)
    {
        var keep = Math.Max(0, Math.Min(history.Count, maxTokens - 1 - proposed.Count));
        var skipped = history.Count - keep;
        var steps = history.Steps.Skip(skipped).Concat(proposed).ToArray();
        var previous = skipped > 0 ? history.Steps[skipped - 1] : null;
        if (steps.Length + 1 > maxTokens)
        {
            // Only proposals longer than the window get here: keep the latest of them.
            var cut = steps.Length + 1 - maxTokens;
            return new PolicySequence(history.PatientContext, steps[cut..], steps[cut - 1], next, HideOutcomesFrom: 0)
            {
                Earlier = [.. history.Earlier, .. history.Steps.Take(skipped), .. steps[..(cut - 1)]],
            };
        }
        return new PolicySequence(history.PatientContext, steps, previous, next, HideOutcomesFrom: keep)
        {
            Earlier = [.. history.Earlier, .. history.Steps.Take(Math.Max(0, skipped - 1))],
        };
    }
}
