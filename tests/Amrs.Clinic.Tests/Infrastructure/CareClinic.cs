using Amrs.Clinic.Services.Engine;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Amrs.Clinic.Tests.Infrastructure;

/// <summary>
/// The real clinic (its own SQLite file) with the deterministic <see cref="FakeCareEngine"/> in place of the
/// learned models, registered as a test service: the source never sees the fake.
/// </summary>
public sealed class CareClinic : IAsyncDisposable
{
    private readonly ClinicFactory _base = new();

    public CareClinic() =>
        Factory = _base.WithWebHostBuilder(b => b.ConfigureTestServices(services => services.AddSingleton<ICareEngine>(Engine)));

    public FakeCareEngine Engine { get; } = new();

    public WebApplicationFactory<Program> Factory { get; }

    public IServiceProvider Services => Factory.Services;

    public async ValueTask DisposeAsync() => await _base.DisposeAsync(); // disposes the derived factory too
}
