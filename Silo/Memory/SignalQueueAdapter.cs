using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace OmniBridge.Silo.Memory;

/// <summary>
/// A cluster's stream of run signals (docs/runs.md, "Signals"): one queue, kept by a grain
/// (<see cref="SignalQueueGrain"/>) that any silo publishes into, read by the one silo whose pulling agent owns the
/// queue. The read waits in the grain for a publication (up to <see cref="SignalQueues.DefaultPark"/>), so a signal is
/// delivered as soon as it is queued and an idle cluster makes two reads a second instead of five hundred.
/// </summary>
public sealed class SignalQueueAdapter : IQueueAdapterFactory, IQueueAdapter
{
    readonly IGrainFactory grains;
    readonly ILogger logger;
    readonly TimeSpan park;
    readonly SimpleQueueAdapterCache cache;
    readonly HashRingBasedStreamQueueMapper queues;

    public SignalQueueAdapter(string name, IGrainFactory grains, ILoggerFactory loggers, TimeSpan? park = null)
    {
        (Name, this.grains, this.park) = (name, grains, park ?? SignalQueues.DefaultPark);
        logger = loggers.CreateLogger<SignalQueueAdapter>();
        cache = new SimpleQueueAdapterCache(new SimpleQueueCacheOptions(), name, loggers);
        queues = new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = 1 }, name);
    }

    public string Name { get; }

    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    ISignalQueueGrain Queue => grains.GetGrain<ISignalQueueGrain>(Name);

    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(this);

    public IQueueAdapterCache GetQueueAdapterCache() => cache;

    public IStreamQueueMapper GetStreamQueueMapper() => queues;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler());

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => new SignalQueueReceiver(Queue, park, logger);

    /// <summary>Queues the events in the grain (the call copies them: the publisher keeps its own objects).</summary>
    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        Queue.EnqueueAsync(new QueuedSignals { StreamId = streamId, Events = [.. events.Select(e => (object)e!)] });
}
