using Amrs.Engine.Episodes;

namespace Amrs.Engine.Training;

/// <summary>
/// Training batches in order, each one's tensors built on a worker thread while the previous step runs (as a data
/// loader prefetches), so building tensors from histories costs the training thread nothing. Building is
/// deterministic, so results do not depend on the worker. The tensors belong to the caller once handed out;
/// disposing the prefetcher disposes a batch built but not taken.
/// </summary>
internal sealed class BatchPrefetcher : IDisposable
{
    private readonly IReadOnlyList<HistoryWindow[]> _batches;
    private readonly TokenLayout _layout;
    private Task<HistoryTensors>? _next;
    private int _index;

    public BatchPrefetcher(IReadOnlyList<HistoryWindow[]> batches, TokenLayout layout)
    {
        _batches = batches;
        _layout = layout;
        _next = Start(0);
    }

    /// <summary>The next batch's tensors, or false after the last batch.</summary>
    public bool TryTake(out HistoryTensors tensors)
    {
        if (_next is null)
        {
            tensors = null!;
            return false;
        }
        tensors = _next.GetAwaiter().GetResult();
        _index++;
        _next = Start(_index);
        return true;
    }

    private Task<HistoryTensors>? Start(int index)
    {
        if (index >= _batches.Count) return null;
        var batch = _batches[index];
        return Task.Run(() => HistoryTensors.ForTraining(batch, _layout));
    }

    public void Dispose()
    {
        if (_next is null) return;
        try
        {
            _next.GetAwaiter().GetResult().Dispose();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // The batch failed to build: nothing to dispose, and the step that would have used it never runs.
        }
        _next = null;
    }
}
