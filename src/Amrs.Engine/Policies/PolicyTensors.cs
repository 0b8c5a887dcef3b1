using Amrs.Engine.Episodes;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.Policies;

/// <summary>
/// Sequence-first inputs for a batch of <see cref="PolicySequence"/>s ([S,B,F], [S,B], [S,B,C]), padded at the
/// end (where the causal mask keeps padding from affecting real tokens).
/// </summary>
internal sealed class PolicyTensors : IDisposable
{
    // Policies are built without the world model's history summary (their layouts have SummarySize 0).
    private static readonly HistorySummary NoSummary = HistorySummary.Of(0, []);

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
                layout.WriteContext(previous, sequence.ContextOf(t), sequence.PatientContext, NoSummary, into);
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

    public void Dispose()
    {
        PreviousTrack.Dispose();
        PreviousIds.Dispose();
        Context.Dispose();
    }
}
