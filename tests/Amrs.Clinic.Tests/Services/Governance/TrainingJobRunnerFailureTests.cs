using Amrs.Clinic.Services.Governance;
using Amrs.Clinic.Tests.Infrastructure;
using Amrs.Data;
using Amrs.Data.Audit;
using Amrs.Data.Database;
using Amrs.Engine.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Amrs.Clinic.Tests.Services.Governance;

/// <summary>
/// The background runner of retraining jobs outlives a database that fails under it: the failure is logged and the
/// runner looks again later, instead of faulting, which stops the whole clinic (every clinician's and carer's
/// connection) under the host's default behaviour.
/// </summary>
public sealed class TrainingJobRunnerFailureTests : IDisposable
{
    private readonly string _store = Path.Combine(Path.GetTempPath(), "amrs-runner-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_database_error_is_logged_and_the_runner_keeps_running_until_the_clinic_stops()
    {
        var logger = new FirstErrorLogger();
        var contexts = new UnavailableDatabase();
        using var runner = new TrainingJobRunner(contexts, new AuditLog(contexts, new DatabaseOptions()), new ModelStore(_store),
            new FakeCandidateTrainer(), new TrainingJobQueue(), new TrainingJobNotifier(), TimeProvider.System, logger);

        await runner.StartAsync(TestContext.Current.CancellationToken);
        var error = await logger.FirstError.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        Assert.Equal(UnavailableDatabase.Message, error.Message);
        Assert.False(runner.ExecuteTask!.IsCompleted, "the runner stopped after one database error");
        await runner.StopAsync(TestContext.Current.CancellationToken);
        Assert.True(runner.ExecuteTask.IsCompletedSuccessfully);
    }

    public void Dispose()
    {
        if (Directory.Exists(_store)) Directory.Delete(_store, recursive: true);
    }

    private sealed class UnavailableDatabase : IDbContextFactory<ClinicDbContext>
    {
        public const string Message = "the database is not reachable";

        public ClinicDbContext CreateDbContext() => throw new InvalidOperationException(Message);
    }

    private sealed class FirstErrorLogger : ILogger<TrainingJobRunner>
    {
        private readonly TaskCompletionSource<Exception> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<Exception> FirstError => _first.Task;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Error && exception is not null) _first.TrySetResult(exception);
        }
    }
}
