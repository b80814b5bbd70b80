namespace OmniBridge.Silo.Memory;

/// <summary>
/// A cluster's run-signal queue (<see cref="SignalQueueAdapter"/>), one per stream provider (its name is the key):
/// publishers on any silo queue into it, and the silo whose pulling agent owns the queue reads from it.
/// </summary>
public interface ISignalQueueGrain : IGrainWithStringKey
{
    /// <summary>Queues one publication's signals and wakes a parked read.</summary>
    Task EnqueueAsync(QueuedSignals signals);

    /// <summary>
    /// Up to <paramref name="maxCount"/> publications (every one when negative) in the order they were queued; when none
    /// is, waits up to <paramref name="park"/> for one, and answers empty if none comes or the reader cancels.
    /// </summary>
    Task<List<QueuedSignals>> ReadAsync(int maxCount, TimeSpan park, CancellationToken cancellation = default);
}
