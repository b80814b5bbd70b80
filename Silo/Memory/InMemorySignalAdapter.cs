using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
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
public sealed class InMemorySignalAdapter : IQueueAdapterFactory, IQueueAdapter, IQueueAdapterReceiver
{
    readonly DeepCopier copier;
    readonly ILogger logger;
    readonly TimeSpan park;
    readonly SimpleQueueAdapterCache cache;
    readonly HashRingBasedStreamQueueMapper queues;
    readonly ParkedBuffer<QueuedSignals> queued = new(SignalQueues.Capacity);
    long sequence;

    public InMemorySignalAdapter(string name, DeepCopier copier, ILoggerFactory loggers, TimeSpan? park = null)
    {
        (Name, this.copier, this.park) = (name, copier, park ?? SignalQueues.DefaultPark);
        logger = loggers.CreateLogger<InMemorySignalAdapter>();
        cache = new SimpleQueueAdapterCache(new SimpleQueueCacheOptions(), name, loggers);
        queues = new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = 1 }, name);
    }

    public string Name { get; }

    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(this);

    public IQueueAdapterCache GetQueueAdapterCache() => cache;

    public IStreamQueueMapper GetStreamQueueMapper() => queues;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler());

    /// <summary>The one queue's reader: this queue itself.</summary>
    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => this;

    /// <summary>Queues a copy of the events (the publisher keeps its own objects) and wakes the parked read.</summary>
    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (!queued.Enqueue(new QueuedSignals { StreamId = streamId, Events = [.. events.Select(e => (object)copier.Copy(e)!)] }))
            SignalQueues.ReportDropped(logger, Name, queued.Dropped);
        return Task.CompletedTask;
    }

    public Task Initialize(TimeSpan timeout) => Task.CompletedTask;

    /// <summary>
    /// What is queued; when nothing is, what is queued while the read is parked. The agent cancels the token when it
    /// stops pulling, which ends a parked read.
    /// </summary>
    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken) =>
        InMemorySignalBatch.Number(await queued.ReadAsync(maxCount, park, cancellationToken), ref sequence);

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
