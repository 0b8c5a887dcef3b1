using Amrs.Data.Governance;

namespace Amrs.Clinic.Services.Governance;

/// <summary>
/// Tells open pages that a training job moved (progress, finished, failed, cancelled). Pages subscribe while open
/// and dispose the subscription; the job's state itself is in the database, so a reloaded page reads it there.
/// </summary>
public sealed class TrainingJobNotifier
{
    private readonly Lock _lock = new();
    private readonly List<Action<TrainingJobEntity>> _listeners = [];

    public IDisposable Subscribe(Action<TrainingJobEntity> onChange)
    {
        lock (_lock) _listeners.Add(onChange);
        return new Subscription(this, onChange);
    }

    public void Publish(TrainingJobEntity job)
    {
        Action<TrainingJobEntity>[] listeners;
        lock (_lock) listeners = [.. _listeners];
        foreach (var listener in listeners) listener(job);
    }

    private sealed class Subscription(TrainingJobNotifier owner, Action<TrainingJobEntity> listener) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._lock) owner._listeners.Remove(listener);
        }
    }
}
