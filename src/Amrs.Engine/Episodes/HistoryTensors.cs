using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Amrs.Engine.Episodes;

/// <summary>
/// Encoder inputs, sequence-first: previous track features [S,B,F], previous track rows [S,B] and token
/// context [S,B,C]. Training batches also carry the step's own track, the patient's <see cref="TrackRecord"/> of it
/// from before the step, its labels and the label mask. Padding sits at the end of a sequence, where the causal mask
/// keeps it from affecting real tokens.
/// </summary>
public sealed class HistoryTensors : IDisposable
{
    private HistoryTensors(Tensor previousTrack, Tensor previousIds, Tensor context,
        Tensor? track, Tensor? trackIds, Tensor? trackRecords, Tensor? labels, Tensor? labelMask, HistorySummary? summary = null)
    {
        PreviousTrack = previousTrack;
        PreviousIds = previousIds;
        Context = context;
        Track = track;
        TrackIds = trackIds;
        TrackRecords = trackRecords;
        Labels = labels;
        LabelMask = labelMask;
        Summary = summary;
    }

    public Tensor PreviousTrack { get; }
    public Tensor PreviousIds { get; }
    public Tensor Context { get; }
    public Tensor? Track { get; }
    public Tensor? TrackIds { get; }
    /// <summary>
    /// [S,B,<see cref="TrackRecord.Size"/>]: the patient's record of each step's own track from the steps before it (in
    /// training batches); for <see cref="ForNextStep"/> the same for the history's steps, [S-1,1,...].
    /// </summary>
    public Tensor? TrackRecords { get; }
    /// <summary>For <see cref="ForNextStep"/>: the summary of the whole history, whose track records serve the next step's candidates.</summary>
    public HistorySummary? Summary { get; }
    /// <summary>[S,B,4] in <see cref="Signals"/> order; 0 where unobserved.</summary>
    public Tensor? Labels { get; }
    /// <summary>[S,B,4]: 1 where the label was observed and the token is not padding.</summary>
    public Tensor? LabelMask { get; }

    public long Length => PreviousIds.shape[0];

    /// <summary>Teacher-forced training tokens for windows of histories; every step in a window is a target.</summary>
    public static HistoryTensors ForTraining(IReadOnlyList<HistoryWindow> windows, TokenLayout layout)
    {
        var batch = windows.Count;
        var length = windows.Max(w => w.Length);
        var f = layout.TrackSize;
        var c = layout.ContextSize;
        var prevTrack = new float[length * batch * f];
        var prevIds = new long[length * batch];
        var context = new float[length * batch * c];
        var track = new float[length * batch * f];
        var trackIds = new long[length * batch];
        var records = new float[length * batch * TrackRecord.Size];
        var labels = new float[length * batch * Signals.Count];
        var mask = new float[length * batch * Signals.Count];

        for (var b = 0; b < batch; b++)
        {
            var window = windows[b];
            var steps = window.History.Steps;
            var (summaries, stepRecords) = WrittenSummaries(window.History, layout);
            for (var s = 0; s < window.Length; s++)
            {
                var t = window.Start + s;
                var slot = s * batch + b;
                var previous = t > 0 ? steps[t - 1] : null;
                if (previous is not null)
                {
                    previous.Track.AsSpan().CopyTo(prevTrack.AsSpan(slot * f, f));
                    prevIds[slot] = previous.TrackIndex;
                }
                layout.WriteContext(previous, steps[t].Context, window.History.PatientContext,
                    summaries.AsSpan(t * layout.SummarySize, layout.SummarySize), context.AsSpan(slot * c, c));
                steps[t].Track.AsSpan().CopyTo(track.AsSpan(slot * f, f));
                trackIds[slot] = steps[t].TrackIndex;
                stepRecords.AsSpan(t * TrackRecord.Size, TrackRecord.Size).CopyTo(records.AsSpan(slot * TrackRecord.Size, TrackRecord.Size));
                steps[t].Outcomes.AsSpan().CopyTo(labels.AsSpan(slot * Signals.Count, Signals.Count));
                steps[t].Observed.AsSpan().CopyTo(mask.AsSpan(slot * Signals.Count, Signals.Count));
            }
        }

        return new HistoryTensors(
            torch.tensor(prevTrack, [length, batch, f]),
            torch.tensor(prevIds, [length, batch]),
            torch.tensor(context, [length, batch, c]),
            torch.tensor(track, [length, batch, f]),
            torch.tensor(trackIds, [length, batch]),
            torch.tensor(records, [length, batch, TrackRecord.Size]),
            torch.tensor(labels, [length, batch, Signals.Count]),
            torch.tensor(mask, [length, batch, Signals.Count]));
    }

    private static readonly ConditionalWeakTable<EncodedHistory, WrittenHistory> Written = new();

    /// <summary>Summaries at t x SummarySize, the record of step t's track at t x <see cref="TrackRecord.Size"/>.</summary>
    private sealed record WrittenHistory(float[] Summaries, float[] Records);

    /// <summary>
    /// The summary before every step of a history (its earlier, truncated steps included), written once per history
    /// as <paramref name="layout"/> lays it out: step t's at t x SummarySize; with it the patient's record of each step's
    /// track from before the step. Training draws windows at every position
    /// of every history each epoch, and summarising each window again made building a batch the largest cost of a
    /// training step after the model itself (the real loop fell to 77 % of the bare loop's speed). About 600 bytes a
    /// step, kept as long as the history is.
    /// </summary>
    private static WrittenHistory WrittenSummaries(EncodedHistory history, TokenLayout layout)
    {
        var written = Written.GetValue(history, h => WriteSummaries(h, layout));
        // Kept for another layout (a different summary size): write this one without keeping it.
        return written.Summaries.Length == history.Steps.Count * layout.SummarySize ? written : WriteSummaries(history, layout);
    }

    private static WrittenHistory WriteSummaries(EncodedHistory history, TokenLayout layout)
    {
        var size = layout.SummarySize;
        var all = new float[history.Steps.Count * size];
        var records = new float[history.Steps.Count * TrackRecord.Size];
        var running = layout.Summarise(history.Earlier);
        for (var t = 0; t < history.Steps.Count; t++)
        {
            if (size > 0) running.WriteTo(all.AsSpan(t * size, size), history.Steps[t].Context);
            running.WriteTrackRecord(history.Steps[t].TrackId, records.AsSpan(t * TrackRecord.Size, TrackRecord.Size));
            running.Add(history.Steps[t]);
        }
        return new WrittenHistory(all, records);
    }

    /// <summary>
    /// Tokens for a history followed by one query token for the next step (context <paramref name="next"/>):
    /// S = history length + 1, B = 1. The state at the last token is the state for scoring the next track.
    /// </summary>
    /// <remarks>The summary of the history (earlier steps included) for the next token is <see cref="TokenLayout.Summarise"/>.</remarks>
    public static HistoryTensors ForNextStep(EncodedHistory history, StepContext next, TokenLayout layout)
    {
        var steps = history.Steps;
        var length = steps.Count + 1;
        var f = layout.TrackSize;
        var c = layout.ContextSize;
        var prevTrack = new float[length * f];
        var prevIds = new long[length];
        var context = new float[length * c];
        var records = new float[steps.Count * TrackRecord.Size];
        var summary = layout.Summarise(history.Earlier);
        for (var t = 0; t < length; t++)
        {
            var previous = t > 0 ? steps[t - 1] : null;
            if (previous is not null)
            {
                previous.Track.AsSpan().CopyTo(prevTrack.AsSpan(t * f, f));
                prevIds[t] = previous.TrackIndex;
            }
            var stepContext = t < steps.Count ? steps[t].Context : next;
            layout.WriteContext(previous, stepContext, history.PatientContext, summary, context.AsSpan(t * c, c));
            if (t == steps.Count) continue;
            summary.WriteTrackRecord(steps[t].TrackId, records.AsSpan(t * TrackRecord.Size, TrackRecord.Size));
            summary.Add(steps[t]);
        }
        return new HistoryTensors(
            torch.tensor(prevTrack, [length, 1, f]),
            torch.tensor(prevIds, [length, 1]),
            torch.tensor(context, [length, 1, c]),
            null, null, torch.tensor(records, [steps.Count, 1, TrackRecord.Size]), null, null, summary);
    }

    /// <summary>
    /// Training tensors of the given shape filled with random values (every label observed): what a training step
    /// costs without any data loading or masking, for benchmarks.
    /// </summary>
    public static HistoryTensors Random(int length, int batch, TokenLayout layout, int vocabularyRows, Generator generator)
    {
        var f = layout.TrackSize;
        return new HistoryTensors(
            torch.rand([length, batch, f], generator: generator),
            torch.randint(vocabularyRows, [length, batch], generator: generator),
            torch.rand([length, batch, layout.ContextSize], generator: generator),
            torch.rand([length, batch, f], generator: generator),
            torch.randint(vocabularyRows, [length, batch], generator: generator),
            torch.zeros([length, batch, TrackRecord.Size]),
            torch.rand([length, batch, Signals.Count], generator: generator).round(),
            torch.ones([length, batch, Signals.Count]));
    }

    public void Dispose()
    {
        PreviousTrack.Dispose();
        PreviousIds.Dispose();
        Context.Dispose();
        Track?.Dispose();
        TrackIds?.Dispose();
        TrackRecords?.Dispose();
        Labels?.Dispose();
        LabelMask?.Dispose();
    }
}

/// <summary>Steps [Start, Start + Length) of a history, used as one training sequence.</summary>
public readonly record struct HistoryWindow(EncodedHistory History, int Start, int Length)
{
    /// <summary>Cuts a history into consecutive windows of at most <paramref name="maxLength"/> steps.</summary>
    public static IEnumerable<HistoryWindow> Cut(EncodedHistory history, int maxLength)
    {
        for (var start = 0; start < history.Count; start += maxLength)
            yield return new HistoryWindow(history, start, Math.Min(maxLength, history.Count - start));
    }
}
