using Microsoft.Extensions.Logging;
using OmniBridge.Grains.Interfaces.Reducers;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Ports;
using Orleans.Streams;

namespace OmniBridge.Grains.Stamping;

/// <summary>
/// Publishes one stamp-created event per newly created record, on its namespace's stream. A
/// record stored but not announced is not lost: the namespace's reducer also folds what it finds
/// unreduced in the store.
/// </summary>
public static partial class StampEvents
{
    /// <summary>
    /// One event per record; the events of one namespace travel together, in as few queue messages
    /// as <see cref="EventsPerMessage"/> allows, so a thousand-item batch costs the stream one
    /// enqueue, not a thousand.
    /// </summary>
    public static Task PublishCreatedAsync(IStreamProvider streams, IEnumerable<StampRecord> created) =>
        Task.WhenAll(created.GroupBy(record => record.Namespace).Select(async group =>
        {
            var stream = streams.GetStream<StampCreated>(StreamId.Create(StampStreams.StampCreated, group.Key));
            foreach (var message in group.Select(r => new StampCreated { StampId = r.StampId }).Chunk(EventsPerMessage)) await stream.OnNextBatchAsync(message);
        }));

    /// <summary>
    /// Most events in one queue message: an in-memory stream refuses a message larger than its 1 MiB
    /// cache block (the events in it would be lost for the reducer), and an event is an id, about
    /// 20 bytes serialised, so this many take about 160 KiB.
    /// </summary>
    public const int EventsPerMessage = 8192;

    /// <summary>How long a request waits for its events to be taken; a stream whose queue is on a dead silo never answers before the cluster notices.</summary>
    static readonly TimeSpan PublishWait = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Publishes, and on failure (or no answer within a second) only logs: the caller's stamps are
    /// stored either way, and the reducer's sweep folds what no event brought.
    /// </summary>
    public static async Task TryPublishCreatedAsync(IEventPath events, IReadOnlyList<StampRecord> created, ILogger log)
    {
        try
        {
            await events.CreatedAsync(created).WaitAsync(PublishWait);
        }
        catch (Exception e)
        {
            LogNotPublished(log, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stamp-created events were not published; the reducer will fold the records from the store")]
    static partial void LogNotPublished(ILogger logger, Exception error);
}
