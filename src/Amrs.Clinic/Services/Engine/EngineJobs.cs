namespace Amrs.Clinic.Services.Engine;

/// <summary>
/// A request waiting for the engine thread. Jobs with the same <see cref="BatchKey"/> run together in one batch.
/// A caller that cancels gets its cancellation at once; the job is then skipped (or its result dropped) without
/// touching anyone else's.
/// </summary>
internal abstract class EngineJob
{
    public abstract string BundleId { get; }

    public abstract string BatchKey { get; }

    /// <summary>Cancelled by its caller or already answered: nothing left to do.</summary>
    public abstract bool IsSettled { get; }

    public abstract void Fail(Exception error);
}

/// <summary>A job with a typed answer, completed on the engine thread and awaited by its caller.</summary>
internal abstract class EngineJob<TResult> : EngineJob
{
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<TResult> Completion => _completion.Task;

    public override bool IsSettled => _completion.Task.IsCompleted;

    public void Succeed(TResult result) => _completion.TrySetResult(result);

    public override void Fail(Exception error) => _completion.TrySetException(error);

    public void Cancel(CancellationToken token) => _completion.TrySetCanceled(token);
}

/// <summary>Rollouts of a track list for a patient (one preview).</summary>
internal sealed class SimulateJob(string bundleId, CareContext context, IReadOnlyList<string> trackIds, int trajectories) : EngineJob<PlaylistSimulation>
{
    public override string BundleId { get; } = bundleId;
    public CareContext Context { get; } = context;
    public IReadOnlyList<string> TrackIds { get; } = trackIds;
    public int Trajectories { get; } = trajectories;
    public override string BatchKey => $"{BundleId}/simulate";
}

/// <summary>A care proposal by one of a bundle's policies.</summary>
internal sealed class ProposeJob(string bundleId, PolicyKind policy, CareContext context) : EngineJob<Proposal>
{
    public override string BundleId { get; } = bundleId;
    public PolicyKind Policy { get; } = policy;
    public CareContext Context { get; } = context;
    public override string BatchKey => $"{BundleId}/propose/{Policy}";
}

/// <summary>A bundle loaded (and verified) without using it: governance's check that it can serve care.</summary>
internal sealed class LoadJob(string bundleId) : EngineJob<bool>
{
    public override string BundleId { get; } = bundleId;
    public override string BatchKey => $"{BundleId}/load";
}
