namespace Amrs.Clinic.Services.Governance;

/// <summary>
/// In-process signals between the page's service and the <see cref="TrainingJobRunner"/>: "a job was queued"
/// (the runner also looks in the database now and then, for jobs queued by another instance) and "cancel the job
/// running here now" (a cancel request is also stored on the job, which the runner reads while it reports progress).
/// </summary>
public sealed class TrainingJobQueue
{
    private readonly SemaphoreSlim _queued = new(0);
    private readonly Lock _lock = new();
    private (Guid Id, CancellationTokenSource Cancel)? _running;

    public void Wake() => _queued.Release();

    /// <summary>Waits until <see cref="Wake"/> or <paramref name="timeout"/>; true when woken.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _queued.WaitAsync(timeout, cancellationToken);

    public void RequestCancel(Guid jobId)
    {
        lock (_lock)
        {
            if (_running is { } running && running.Id == jobId) running.Cancel.Cancel();
        }
    }

    internal void Running(Guid jobId, CancellationTokenSource cancel)
    {
        lock (_lock) _running = (jobId, cancel);
    }

    internal void Finished(Guid jobId)
    {
        lock (_lock)
        {
            if (_running?.Id == jobId) _running = null;
        }
    }
}
