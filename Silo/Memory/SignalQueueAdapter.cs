using Orleans.Streams;

namespace OmniBridge.Silo.Memory;

/// <summary>
/// A cluster's stream of run signals (docs/runs.md, "Signals"): one queue, kept by a grain
/// (<see cref="SignalQueueGrain"/>) that any silo publishes into, read by the one silo whose pulling agent owns the
/// queue. The read waits in the grain for a publication (up to <see cref="SignalQueues.DefaultPark"/>), so a signal is
/// delivered as soon as it is queued and an idle cluster makes two reads a second instead of five hundred.
/// </summary>
public sealed class SignalQueueAdapter(string name, IGrainFactory grains, ILoggerFactory loggers, TimeSpan? park = null)
    : OneQueueSignalAdapter(name, loggers, park)
{
    ISignalQueueGrain Queue => grains.GetGrain<ISignalQueueGrain>(Name);

    public override IQueueAdapterReceiver CreateReceiver(QueueId queueId) => new SignalQueueReceiver(Queue, Park, Logger);

    /// <summary>Queues the events in the grain (the call copies them: the publisher keeps its own objects).</summary>
    public override Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        Queue.EnqueueAsync(new QueuedSignals { StreamId = streamId, Events = [.. events.Select(e => (object)e!)] });
}
