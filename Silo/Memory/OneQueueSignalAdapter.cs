using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace OmniBridge.Silo.Memory;

/// <summary>
/// What both forms of the run-signal stream are (docs/runs.md, "Signals"): one queue, not rewindable, read and written,
/// its deliveries cached by Orleans' simple cache, with a read that waits up to <see cref="Park"/> for a publication.
/// The forms differ in where the queue is (<see cref="InMemorySignalAdapter"/>, <see cref="SignalQueueAdapter"/>).
/// </summary>
public abstract class OneQueueSignalAdapter : IQueueAdapterFactory, IQueueAdapter
{
    readonly SimpleQueueAdapterCache cache;
    readonly HashRingBasedStreamQueueMapper queues;

    protected OneQueueSignalAdapter(string name, ILoggerFactory loggers, TimeSpan? park)
    {
        (Name, Park, Logger) = (name, park ?? SignalQueues.DefaultPark, loggers.CreateLogger(GetType()));
        cache = new SimpleQueueAdapterCache(new SimpleQueueCacheOptions(), name, loggers);
        queues = new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = 1 }, name);
    }

    public string Name { get; }

    /// <summary>How long a read waits for a publication before it answers empty.</summary>
    protected TimeSpan Park { get; }

    protected ILogger Logger { get; }

    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(this);

    public IQueueAdapterCache GetQueueAdapterCache() => cache;

    public IStreamQueueMapper GetStreamQueueMapper() => queues;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler());

    public abstract IQueueAdapterReceiver CreateReceiver(QueueId queueId);

    public abstract Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext);
}
