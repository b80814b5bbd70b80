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
/// Here the agent's read parks until a signal is queued (or <see cref="DefaultPark"/> passes) and takes it at once. One silo
/// only, like the rest of the embedded default: a cluster's silos keep Orleans' memory streams.
/// </summary>
public sealed class InMemorySignalAdapter : IQueueAdapterFactory, IQueueAdapter, IQueueAdapterReceiver
{
    /// <summary>How long a read waits for a publication by default before it answers empty (the agent reads again on its next tick).</summary>
    public static readonly TimeSpan DefaultPark = TimeSpan.FromMilliseconds(500);

    readonly DeepCopier copier;
    readonly TimeSpan park;
    readonly SimpleQueueAdapterCache cache;
    readonly HashRingBasedStreamQueueMapper queues;
    readonly Queue<InMemorySignalBatch> queued = new();
    readonly Lock gate = new();
    TaskCompletionSource published = new(TaskCreationOptions.RunContinuationsAsynchronously);
    long sequence;

    public InMemorySignalAdapter(string name, DeepCopier copier, ILoggerFactory loggers, TimeSpan? park = null)
    {
        (Name, this.copier, this.park) = (name, copier, park ?? DefaultPark);
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
        var copies = events.Select(e => (object)copier.Copy(e)!).ToList();
        TaskCompletionSource wake;
        lock (gate)
        {
            queued.Enqueue(new InMemorySignalBatch { StreamId = streamId, Events = copies, Token = new EventSequenceTokenV2(++sequence) });
            (wake, published) = (published, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        wake.TrySetResult();
        return Task.CompletedTask;
    }

    public Task Initialize(TimeSpan timeout) => Task.CompletedTask;

    /// <summary>What is queued; when nothing is, what is queued while the read is parked.</summary>
    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount)
    {
        Task next;
        lock (gate)
        {
            if (queued.Count > 0) return Take(maxCount);
            next = published.Task;
        }
        // Ended by the publication or by the park, whichever comes first; the park's timer goes with it.
        await next.WaitAsync(park).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (gate) return Take(maxCount);
    }

    List<IBatchContainer> Take(int maxCount)
    {
        var taken = new List<IBatchContainer>();
        while (queued.Count > 0 && (maxCount < 0 || taken.Count < maxCount)) taken.Add(queued.Dequeue());
        return taken;
    }

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

    /// <summary>Ends a parked read at once.</summary>
    public Task Shutdown(TimeSpan timeout)
    {
        lock (gate) published.TrySetResult();
        return Task.CompletedTask;
    }
}
