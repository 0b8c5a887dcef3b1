using Amrs.Data.Audit.Anchors;
using Microsoft.Extensions.Options;

namespace Amrs.Clinic.Services.Audit;

/// <summary>
/// Anchors the audit chain's head outside the database when the clinic starts and then every
/// <c>Audit:AnchorIntervalMinutes</c> while the trail grows (<see cref="AuditAnchors"/> says why). A failure (the file,
/// the database) is logged as an error and tried again at the next interval; care goes on.
/// </summary>
public sealed class AuditAnchorService(
    AuditAnchors anchors,
    IOptions<AuditAnchorOptions> options,
    TimeProvider clock,
    ILogger<AuditAnchorService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // let the host finish starting
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.AnchorIntervalMinutes), clock);
        try
        {
            do
            {
                await AnchorAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The clinic is stopping.
        }
    }

    private async Task AnchorAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await anchors.AnchorCurrentHeadAsync(cancellationToken) is { } head)
                logger.LogInformation("Audit chain head anchored: entry {Sequence} in {File}.", head.Sequence, anchors.FilePath);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The file or the database failing must not stop the host (and every connection with it).
            logger.LogError(e, "Could not anchor the audit chain's head in {File}; trying again at the next interval.", anchors.FilePath);
        }
    }
}
