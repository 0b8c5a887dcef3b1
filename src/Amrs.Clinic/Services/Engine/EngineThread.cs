using System.Collections.Concurrent;

namespace Amrs.Clinic.Services.Engine;

/// <summary>
/// The one thread that runs all model work, as inference servers do: it waits for a request, gathers whatever else
/// arrives within a short window (up to a batch limit), and hands the batch to the runner, which serves requests
/// of the same kind in shared tensor calls. Torch's intra-op threads are fixed on this thread, so model work uses
/// a bounded share of the machine and pages stay responsive; TorchSharp dispose scopes, which are per thread,
/// never cross an await.
/// </summary>
internal sealed class EngineThread : IDisposable
{
    private readonly BlockingCollection<EngineJob> _queue = new();
    private readonly Action<IReadOnlyList<EngineJob>> _runBatch;
    private readonly TimeSpan _window;
    private readonly int _maxBatch;
    private readonly ILogger _logger;
    private readonly Thread _thread;

    /// <param name="runBatch">Runs one batch on the engine thread; it completes every job it is given (or fails it).</param>
    /// <param name="initialise">Runs once on the engine thread before the first batch (for example to fix torch's thread count).</param>
    public EngineThread(Action<IReadOnlyList<EngineJob>> runBatch, TimeSpan window, int maxBatch, ILogger logger, Action? initialise = null)
    {
        _runBatch = runBatch;
        _window = window;
        _maxBatch = maxBatch;
        _logger = logger;
        _thread = new Thread(() => Loop(initialise)) { IsBackground = true, Name = "AMRS engine" };
        _thread.Start();
    }

    /// <summary>Queues <paramref name="job"/> and waits for its answer; cancelling ends only this caller's wait.</summary>
    public async Task<TResult> RunAsync<TResult>(EngineJob<TResult> job, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var registration = cancellationToken.Register(() => job.Cancel(cancellationToken));
        if (!_queue.TryAdd(job)) throw new ObjectDisposedException(nameof(EngineThread));
        return await job.Completion;
    }

    private void Loop(Action? initialise)
    {
        initialise?.Invoke();
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            var batch = new List<EngineJob> { first };
            var deadline = Environment.TickCount64 + (long)_window.TotalMilliseconds;
            while (batch.Count < _maxBatch)
            {
                var wait = (int)Math.Max(0, deadline - Environment.TickCount64);
                if (!_queue.TryTake(out var next, wait)) break;
                batch.Add(next);
            }
            var live = batch.Where(j => !j.IsSettled).ToList();
            if (live.Count == 0) continue;
            try
            {
                _runBatch(live);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "A batch of {Count} engine requests failed", live.Count);
                foreach (var job in live) job.Fail(e);
            }
        }
    }

    /// <summary>Stops taking requests and waits until the thread has run what was already queued.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
    }
}
