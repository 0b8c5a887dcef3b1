using Amrs.Clinic.Services.Engine;
using Microsoft.Extensions.Logging.Abstractions;

namespace Amrs.Clinic.Tests.Services.Engine;

/// <summary>The engine thread gathers requests that arrive together into one batch and answers each caller with its own result.</summary>
public sealed class EngineThreadTests
{
    /// <summary>Doubles its number; the batch runner records which jobs ran together.</summary>
    private sealed class DoubleJob(int value) : EngineJob<int>
    {
        public int Value { get; } = value;
        public override string BundleId => "test";
        public override string BatchKey => "test/double";
    }

    [Fact]
    public async Task Requests_queued_while_a_batch_runs_are_served_together_and_each_caller_gets_its_own_answer()
    {
        var batches = new List<int[]>();
        using var firstStarted = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        void Run(IReadOnlyList<EngineJob> jobs)
        {
            batches.Add(jobs.Cast<DoubleJob>().Select(j => j.Value).ToArray());
            if (batches.Count == 1)
            {
                firstStarted.Set();
                release.Wait(TestContext.Current.CancellationToken);
            }
            foreach (var job in jobs.Cast<DoubleJob>()) job.Succeed(job.Value * 2);
        }
        using var thread = new EngineThread(Run, TimeSpan.Zero, maxBatch: 64, NullLogger.Instance);

        var first = thread.RunAsync(new DoubleJob(-1), TestContext.Current.CancellationToken);
        firstStarted.Wait(TestContext.Current.CancellationToken);
        var callers = Enumerable.Range(0, 20).Select(i => thread.RunAsync(new DoubleJob(i), TestContext.Current.CancellationToken)).ToArray();
        release.Set();

        Assert.Equal(-2, await first);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * 2), await Task.WhenAll(callers));
        Assert.Equal([[-1], Enumerable.Range(0, 20).ToArray()], batches);
    }

    [Fact]
    public async Task A_caller_that_cancels_gets_its_cancellation_and_the_others_still_get_their_answers()
    {
        var ran = new List<int>();
        using var firstStarted = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        void Run(IReadOnlyList<EngineJob> jobs)
        {
            if (!firstStarted.IsSet)
            {
                firstStarted.Set();
                release.Wait(TestContext.Current.CancellationToken);
            }
            foreach (var job in jobs.Cast<DoubleJob>())
            {
                ran.Add(job.Value);
                job.Succeed(job.Value * 2);
            }
        }
        using var thread = new EngineThread(Run, TimeSpan.Zero, maxBatch: 64, NullLogger.Instance);
        var blocker = thread.RunAsync(new DoubleJob(100), TestContext.Current.CancellationToken);
        firstStarted.Wait(TestContext.Current.CancellationToken);

        using var cancel = new CancellationTokenSource();
        var cancelled = thread.RunAsync(new DoubleJob(7), cancel.Token);
        var others = Enumerable.Range(0, 5).Select(i => thread.RunAsync(new DoubleJob(i), TestContext.Current.CancellationToken)).ToArray();
        await cancel.CancelAsync();
        release.Set();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(200, await blocker);
        var answers = await Task.WhenAll(others);
        Assert.Equal(new[] { 0, 2, 4, 6, 8 }, answers);
        Assert.DoesNotContain(7, ran); // skipped: nobody waits for it any more
    }

    [Fact]
    public async Task A_batch_that_throws_fails_its_own_callers_and_the_thread_keeps_serving()
    {
        void Run(IReadOnlyList<EngineJob> jobs)
        {
            foreach (var job in jobs.Cast<DoubleJob>())
            {
                if (job.Value < 0) throw new InvalidOperationException("broken request");
                job.Succeed(job.Value * 2);
            }
        }
        using var thread = new EngineThread(Run, TimeSpan.Zero, maxBatch: 1, NullLogger.Instance);

        await Assert.ThrowsAsync<InvalidOperationException>(() => thread.RunAsync(new DoubleJob(-1), TestContext.Current.CancellationToken));
        Assert.Equal(6, await thread.RunAsync(new DoubleJob(3), TestContext.Current.CancellationToken));
    }
}
