using Microsoft.Extensions.Options;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Transparency;

namespace OmniBridge.Silo.Transparency;

/// <summary>
/// Wakes the log of every namespace whose records wait for a leaf (docs/transparency.md,
/// "Integration"): the nudges sent when records are created are lost with a killed silo, and
/// records made while the log was off wait until it is turned on; the stored backlog is the
/// truth, and this reads it every few integration periods.
/// </summary>
public sealed partial class TransparencyLogSweep(
    ITransparencyLogStore logs,
    IGrainFactory grains,
    IOptions<TransparencyOptions> options,
    ILogger<TransparencyLogSweep> log) : BackgroundService
{
    const int NamespacesPerSweep = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = options.Value.IntegrateInterval * 4;
        using var timer = new PeriodicTimer(period);
        do
        {
            try
            {
                foreach (var namespaceName in await logs.BackloggedNamespacesAsync(NamespacesPerSweep, stoppingToken))
                    await grains.GetGrain<ITransparencyLogGrain>(namespaceName).IntegrateSoonAsync();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The silo may still be starting, or the database away: the next sweep tries again.
                LogSweepFailed(log, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The transparency log sweep failed; it runs again shortly")]
    static partial void LogSweepFailed(ILogger logger, Exception error);
}
