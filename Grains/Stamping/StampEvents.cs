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
    /// One event per record; the events of one namespace travel together, as few queue messages as
    /// <see cref="MessageBudget"/> allows, so a thousand-item batch costs the stream one enqueue or a
    /// few, not a thousand.
    /// </summary>
    public static Task PublishCreatedAsync(IStreamProvider streams, IEnumerable<StampRecord> created) =>
        Task.WhenAll(created.GroupBy(record => record.Namespace).Select(async group =>
        {
            var stream = streams.GetStream<StampCreated>(StreamId.Create(StampStreams.StampCreated, group.Key));
            foreach (var message in Messages(group)) await stream.OnNextBatchAsync(message);
        }));

    /// <summary>
    /// Most bytes of records one queue message carries, by <see cref="EstimatedBytes"/>: an in-memory
    /// stream refuses a message larger than its 1 MiB cache block, and the event is lost for the
    /// reducer. A record within the record limits (docs/protocol.md, "Limits") is far below it alone.
    /// </summary>
    public const int MessageBudget = 512 * 1024;

    /// <summary>The records in messages of at most <see cref="MessageBudget"/> bytes each (a record larger than that goes alone).</summary>
    public static IEnumerable<List<StampCreated>> Messages(IEnumerable<StampRecord> records)
    {
        var message = new List<StampCreated>();
        long bytes = 0;
        foreach (var record in records)
        {
            var size = EstimatedBytes(record);
            if (message.Count > 0 && bytes + size > MessageBudget)
            {
                yield return message;
                (message, bytes) = ([], 0);
            }
            message.Add(new StampCreated { Record = record });
            bytes += size;
        }
        if (message.Count > 0) yield return message;
    }

    /// <summary>At least what the record takes serialised: a UTF-16 unit is at most 3 bytes of UTF-8, plus room for the fixed fields.</summary>
    static long EstimatedBytes(StampRecord record)
    {
        long characters = record.FileHash.Length + record.Namespace.Length + (record.FilePath?.Length ?? 0) + record.ContentType.Length
            + record.Stamp.Length + record.MetadataVersion.Length + record.ProtocolVersion.Length + record.IntelligenceDataJson.Length + (record.Sha256?.Length ?? 0);
        foreach (var (key, value) in record.Metadata) characters += key.Length + value.Length + 4;
        return 256 + 3 * characters;
    }

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
