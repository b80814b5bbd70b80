using Orleans.Serialization;
using Orleans.Streams;

namespace OmniBridge.Silo.Memory;

/// <summary>
/// The embedded default's stream of run signals (docs/runs.md, "Signals"): one queue in the silo's memory whose reader
/// waits for a publication instead of polling for one. Orleans' memory streams keep their queue in a grain that the
/// pulling agent asks for messages on a timer, and .NET's timers fire in steps of the kernel's tick (4 ms on a 250 Hz
/// kernel), so a signal waited 2 to 4 ms for the next poll before anything else (bench/README.md, "Coordinated runs").
/// Here the agent's read parks until a signal is queued (or <see cref="SignalQueues.DefaultPark"/> passes) and takes it
/// at once. One silo only, like the rest of the embedded default: a cluster's silos share a queue grain that waits the
/// same way (<see cref="SignalQueueAdapter"/>).
/// </summary>
public sealed class InMemorySignalAdapter(string name, DeepCopier copier, ILoggerFactory loggers, TimeSpan? park = null)
    : OneQueueSignalAdapter(name, loggers, park), IQueueAdapterReceiver
{
    readonly ParkedBuffer<QueuedSignals> queued = new(SignalQueues.Capacity);
    long sequence;

    /// <summary>The one queue's reader: this queue itself.</summary>
    public override IQueueAdapterReceiver CreateReceiver(QueueId queueId) => this;

    /// <summary>Queues a copy of the events (the publisher keeps its own objects) and wakes the parked read.</summary>
    public override Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (!queued.Enqueue(new QueuedSignals { StreamId = streamId, Events = [.. events.Select(e => (object)copier.Copy(e)!)] }))
            SignalQueues.ReportDropped(Logger, Name, queued.Dropped);
        return Task.CompletedTask;
    }

    public Task Initialize(TimeSpan timeout) => Task.CompletedTask;

    /// <summary>
    /// What is queued; when nothing is, what is queued while the read is parked. The agent cancels the token when it
    /// stops pulling, which ends a parked read.
    /// </summary>
    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken) =>
        InMemorySignalBatch.Number(await queued.ReadAsync(maxCount, Park, cancellationToken), ref sequence);

    [Obsolete("Orleans calls the overload with a cancellation token.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

    /// <summary>Ends a parked read at once.</summary>
    public Task Shutdown(TimeSpan timeout)
    {
        queued.WakeReaders();
        return Task.CompletedTask;
    }
}
