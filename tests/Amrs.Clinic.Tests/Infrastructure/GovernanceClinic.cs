using Amrs.Clinic.Services.Governance;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Infrastructure;

/// <summary>The real clinic (its own SQLite file and model store) with the test-driven <see cref="FakeCandidateTrainer"/> behind retraining jobs.</summary>
public sealed class GovernanceClinic : IAsyncDisposable
{
    private readonly ClinicFactory _base = new();

    public GovernanceClinic() =>
        Factory = _base.WithWebHostBuilder(b => b.ConfigureTestServices(services => services.AddSingleton<ICandidateTrainer>(Trainer)));

    public FakeCandidateTrainer Trainer { get; } = new();

    public WebApplicationFactory<Program> Factory { get; }

    public string ModelStoreRoot => _base.ModelStoreRoot;

    public IServiceProvider Services => Factory.Services;

    public async ValueTask DisposeAsync() => await _base.DisposeAsync();
}
