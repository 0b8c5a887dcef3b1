using Amrs.Engine.Episodes;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.Policies;

/// <summary>
/// Sequence-first inputs for a batch of <see cref="PolicySequence"/>s ([S,B,F], [S,B], [S,B,C]), padded at the
/// end (where the causal mask keeps padding from affecting real tokens). Each token's summary holds only the
/// outcomes the token itself may see (<see cref="Summaries"/>).
/// </summary>
internal sealed class PolicyTensors : IDisposable
{
    private static readonly float[] NoOutcomes = new float[Signals.Count];

    private PolicyTensors(Tensor previousTrack, Tensor previousIds, Tensor context, int batch)
    {
        PreviousTrack = previousTrack;
        PreviousIds = previousIds;
        Context = context;
        Batch = batch;
    }

    public Tensor PreviousTrack { get; }
    public Tensor PreviousIds { get; }
    public Tensor Context { get; }
    public int Batch { get; }

    /// <summary>Row of token <paramref name="token"/> of sequence <paramref name="sequence"/> in the flattened [S*B] states.</summary>
    public int FlatIndex(int token, int sequence) => token * Batch + sequence;

    public static PolicyTensors From(IReadOnlyList<PolicySequence> sequences, TokenLayout layout)
    {
        var batch = sequences.Count;
        var length = sequences.Max(s => s.Tokens);
        var f = layout.TrackSize;
        var c = layout.ContextSize;
        var prevTrack = new float[length * batch * f];
        var prevIds = new long[length * batch];
        var context = new float[length * batch * c];
        for (var b = 0; b < batch; b++)
        {
            var sequence = sequences[b];
            var summaries = Summaries(sequence, layout.SummarySize);
            for (var t = 0; t < sequence.Tokens; t++)
            {
                var slot = t * batch + b;
                var previous = sequence.PreviousOf(t);
                if (previous is not null)
                {
                    previous.Track.AsSpan().CopyTo(prevTrack.AsSpan(slot * f, f));
                    prevIds[slot] = previous.TrackIndex;
                }
                var into = context.AsSpan(slot * c, c);
                layout.WriteContext(previous, sequence.ContextOf(t), sequence.PatientContext,
                    summaries.AsSpan(t * layout.SummarySize, layout.SummarySize), into);
                if (sequence.HidesPreviousOutcome(t))
                    into[TokenLayout.PreviousOutcomes..TokenLayout.HasPrevious].Clear();
            }
        }
        return new PolicyTensors(
            torch.tensor(prevTrack, [length, batch, f]),
            torch.tensor(prevIds, [length, batch]),
            torch.tensor(context, [length, batch, c]),
            batch);
    }

    /// <summary>
    /// The summary before each token (token t's at t x <paramref name="size"/>), of every step before it. Outcomes a
    /// token does not see stay out of its summary: steps from <see cref="PolicySequence.HideOutcomesFrom"/> on (proposed,
    /// never observed) for every token, and with <see cref="PolicySequence.HideWithinSession"/> the earlier steps of the
    /// token's own session, which later sessions' tokens do see.
    /// </summary>
    internal static float[] Summaries(PolicySequence sequence, int size)
    {
        var written = new float[sequence.Tokens * size];
        if (size == 0) return written;
        var before = sequence.Previous is null ? sequence.Earlier : [.. sequence.Earlier, sequence.Previous];
        var seen = HistorySummary.Of(size, []);
        var visible = seen;
        for (var p = 0; p < before.Count + sequence.Tokens; p++)
        {
            var token = p - before.Count;
            var context = token < 0 ? before[p].Context : sequence.ContextOf(token);
            // A new session: what its tokens may see is everything before it.
            if (sequence.HideWithinSession && context.StartsSession) visible = seen.Clone();
            if (token >= 0) visible.WriteTo(written.AsSpan(token * size, size), context);
            if (token >= 0 && token == sequence.Steps.Count) break;
            var step = token < 0 ? before[p] : sequence.Steps[token];
            if (token >= sequence.HideOutcomesFrom) step = Unobserved(step);
            seen.Add(step);
            // Only within-session hiding sets the visible summary apart from everything seen.
            if (!ReferenceEquals(visible, seen)) visible.Add(Unobserved(step));
        }
        return written;
    }

    private static EncodedStep Unobserved(EncodedStep step) => step with { Outcomes = NoOutcomes, Observed = NoOutcomes };

    public void Dispose()
    {
        PreviousTrack.Dispose();
        PreviousIds.Dispose();
        Context.Dispose();
    }
}
