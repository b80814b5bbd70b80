using Orleans.Streams;

namespace OmniBridge.Silo.Memory;

/// <summary>
/// The reader of a cluster's run-signal queue (<see cref="SignalQueueAdapter"/>), on the silo whose pulling agent owns
/// the queue; it numbers what it takes. The agent cancels a read's token when it stops pulling (its timer's token),
/// which ends a read parked in the grain. A read that fails (the grain's silo died, a timeout) answers empty after
/// <see cref="RetryAfter"/>: thrown, it would make the agent back off for 10 s or more.
/// </summary>
public sealed partial class SignalQueueReceiver(ISignalQueueGrain queue, TimeSpan park, ILogger logger) : IQueueAdapterReceiver
{
    /// <summary>How long a reader waits after a failed read before it answers empty (the agent reads again on its next tick).</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromMilliseconds(250);

    long sequence;

    public Task Initialize(TimeSpan timeout) => Task.CompletedTask;

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        List<QueuedSignals> taken;
        try
        {
            taken = await queue.ReadAsync(maxCount, park, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return [];
        }
        catch (Exception e)
        {
            LogReadFailed(logger, e);
            await Task.Delay(RetryAfter, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return [];
        }
        return InMemorySignalBatch.Number(taken, ref sequence);
    }

    [Obsolete("Orleans calls the overload with a cancellation token.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

    public Task Shutdown(TimeSpan timeout) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the run-signal queue failed; reading again shortly")]
    static partial void LogReadFailed(ILogger logger, Exception exception);
}
