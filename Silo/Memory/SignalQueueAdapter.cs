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
    readonly TimeSpan park;
    readonly SimpleQueueAdapterCache cache;
    readonly HashRingBasedStreamQueueMapper queues;

    public SignalQueueAdapter(string name, IGrainFactory grains, ILoggerFactory loggers, TimeSpan? park = null)
    {
        (Name, this.grains, this.park) = (name, grains, park ?? SignalQueues.DefaultPark);
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

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => new Receiver(Queue, park);

    /// <summary>Queues the events in the grain (the call copies them: the publisher keeps its own objects).</summary>
    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        Queue.EnqueueAsync(new QueuedSignals { StreamId = streamId, Events = [.. events.Select(e => (object)e!)] });

    /// <summary>
    /// The owning silo's reader of the grain's queue; it numbers what it takes. The agent cancels a read's token when it
    /// stops pulling (its timer's token), which ends a read parked in the grain.
    /// </summary>
    sealed class Receiver(ISignalQueueGrain queue, TimeSpan park) : IQueueAdapterReceiver
    {
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
            return InMemorySignalBatch.Number(taken, ref sequence);
        }

        [Obsolete("Orleans calls the overload with a cancellation token.")]
        public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

        public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

        public Task Shutdown(TimeSpan timeout) => Task.CompletedTask;
    }
}
