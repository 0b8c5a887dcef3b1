using Amrs.Core.Affect;
using Amrs.Engine.Episodes;
using Amrs.Engine.Policies;

namespace Amrs.Engine.Tests.Policies;

/// <summary>
/// The policy reads the world model's history summary in every token, and a token's summary holds exactly the outcomes
/// the token itself may see: none of the steps proposed before the session is played, and in training with
/// within-session hiding none of its own session's earlier steps, while later sessions see them.
/// </summary>
public sealed class PolicySummaryTests
{
    private static readonly float[] AllObserved = [1, 1, 1, 1];

    [Fact]
    public void A_token_hiding_its_session_sees_earlier_sessions_outcomes_and_none_of_its_own_session()
    {
        var (steps, size) = History();
        var secondSession = FirstOfSession(steps, 1);
        var sequence = new PolicySequence([], steps, HideWithinSession: true);

        var written = PolicyTensors.Summaries(sequence, size);

        // The first token of the second session sees the first session whole.
        Assert.Equal(Written(steps.Take(secondSession), size, steps[secondSession].Context), Slice(written, secondSession, size));
        // Two tokens later it still sees the first session, and its own session's tracks without their outcomes.
        var later = secondSession + 2;
        var expected = steps.Take(secondSession).Concat(steps.Skip(secondSession).Take(2).Select(Unobserved));
        Assert.Equal(Written(expected, size, steps[later].Context), Slice(written, later, size));
        Assert.NotEqual(Written(steps.Take(later), size, steps[later].Context), Slice(written, later, size));
    }

    [Fact]
    public void Changing_an_outcome_of_the_same_session_changes_the_summary_only_where_it_may_be_seen()
    {
        var (steps, size) = History();
        var secondSession = FirstOfSession(steps, 1);
        var thirdSession = FirstOfSession(steps, 2);
        var changed = steps.ToArray();
        changed[secondSession] = steps[secondSession] with { Outcomes = [0.05f, 0, 0.95f, 0.05f] };

        var hidden = PolicyTensors.Summaries(new PolicySequence([], steps, HideWithinSession: true), size);
        var hiddenChanged = PolicyTensors.Summaries(new PolicySequence([], changed, HideWithinSession: true), size);
        var shown = PolicyTensors.Summaries(new PolicySequence([], steps), size);
        var shownChanged = PolicyTensors.Summaries(new PolicySequence([], changed), size);

        for (var t = secondSession + 1; t < thirdSession; t++)
        {
            Assert.Equal(Slice(hidden, t, size), Slice(hiddenChanged, t, size));
            Assert.NotEqual(Slice(shown, t, size), Slice(shownChanged, t, size));
        }
        Assert.NotEqual(Slice(hidden, thirdSession, size), Slice(hiddenChanged, thirdSession, size));
    }

    [Fact]
    public void A_proposal_summarises_the_whole_history_beyond_the_window_and_no_outcome_of_the_proposed_steps()
    {
        var (steps, size) = History();
        var history = new EncodedHistory("p", [], steps);
        var proposed = steps.Take(3).Select((s, k) => s with
        {
            Context = new StepContext(SessionMode.Calm, new AffectPoint(0.4, 0.3), k == 0, k),
        }).ToArray();
        var next = proposed[^1].Context.Next();
        const int window = 8;

        var sequence = PolicySequence.ForProposal(history, proposed, next, window);
        var written = PolicyTensors.Summaries(sequence, size);

        Assert.Equal(window, sequence.Tokens);
        Assert.Equal(Written(steps.Concat(proposed.Select(Unobserved)), size, next), Slice(written, sequence.Tokens - 1, size));
        Assert.Equal(Written(steps, size, proposed[0].Context), Slice(written, sequence.Tokens - 1 - proposed.Length, size));
    }

    /// <summary>A toy-world patient's steps with every outcome observed, and the summary size of its layout.</summary>
    private static (EncodedStep[] Steps, int Size) History()
    {
        var (_, data, _) = TinyPolicies.Cloned;
        var history = data.Histories.Validation.First(h => h.Steps.Count(s => s.Context.StartsSession) >= 3);
        var random = new Random(5);
        var steps = history.Steps.Select(s => s with
        {
            Outcomes = [.. Enumerable.Range(0, Signals.Count).Select(_ => (float)random.NextDouble())],
            Observed = AllObserved,
        }).ToArray();
        return (steps, data.Histories.Layout.SummarySize);
    }

    private static int FirstOfSession(IReadOnlyList<EncodedStep> steps, int session) =>
        Enumerable.Range(0, steps.Count).Where(t => steps[t].Context.StartsSession).ElementAt(session);

    private static EncodedStep Unobserved(EncodedStep step) =>
        step with { Outcomes = new float[Signals.Count], Observed = new float[Signals.Count] };

    private static float[] Written(IEnumerable<EncodedStep> steps, int size, StepContext next)
    {
        var written = new float[size];
        HistorySummary.Of(size, steps).WriteTo(written, next);
        return written;
    }

    private static float[] Slice(float[] written, int token, int size) => written.AsSpan(token * size, size).ToArray();
}
