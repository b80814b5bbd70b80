using Microsoft.Extensions.Logging;

namespace OmniBridge.Client;

/// <summary>
/// A client started before its cluster (the silos still starting, the schema not yet migrated)
/// keeps trying every two seconds instead of giving up, and says why now and then.
/// </summary>
public sealed partial class ClusterConnectionRetry(ILogger<ClusterConnectionRetry> log) : IClientConnectionRetryFilter
{
    static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);
    int attempts;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        // Every attempt at first, then one in fifteen (about every 30 s).
        if (attempts++ % 15 == 0) LogNotConnected(log, attempts, exception.Message);
        try
        {
            await Task.Delay(Pause, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot reach the cluster yet (attempt {Attempt}): {Reason}; retrying every 2 s")]
    static partial void LogNotConnected(ILogger logger, int attempt, string reason);
}
