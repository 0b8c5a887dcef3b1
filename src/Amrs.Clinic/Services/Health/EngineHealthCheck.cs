using Microsoft.Extensions.Diagnostics.HealthChecks;
using TorchSharp;

namespace Amrs.Clinic.Services.Health;

/// <summary>The engine is ready when libtorch loads and computes.</summary>
internal sealed class EngineHealthCheck : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var probe = torch.ones(2).sum();
            return Task.FromResult(probe.item<float>() == 2f
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("libtorch computed a wrong result"));
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("libtorch did not load", e));
        }
    }
}
