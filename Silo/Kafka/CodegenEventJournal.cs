using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Confluent.Kafka;
using Npgsql;
using OmniBridge.Grains.Codegen.Events;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces.Codegen.Events;
using OmniBridge.Grains.Ports;
using OmniBridge.Silo.Postgres;

namespace OmniBridge.Silo.Kafka;

/// <summary>
/// Writes codegen events to event_logs (docs/codegen-events.md, "event_logs") off the consumer's path: <see cref="Record"/> only
/// queues, and a background loop appends what has queued in batches (up to 500 a statement). A batch the store cannot take
/// for a moment is retried; one it refuses is written event by event, so one bad event costs only itself. The queue holds
/// 100,000 events; beyond that new ones are dropped and counted, never the consumer slowed.
/// </summary>
public sealed partial class CodegenEventJournal(ICodegenEventLog store, IMeterFactory meters, ILogger<CodegenEventJournal> log) : BackgroundService
{
    const int BatchSize = 500;

    readonly Channel<CodegenEventRecord> queue = Channel.CreateBounded<CodegenEventRecord>(
        new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    readonly Counter<long> recorded = meters.Create(StoreGauges.MeterName).CreateCounter<long>("omnibridge.codegen.events", "{event}",
        "Codegen events sent or received (requests, responses, status events, dead letters), by topic and event type");

    readonly Counter<long> lost = meters.Create(StoreGauges.MeterName).CreateCounter<long>("omnibridge.codegen.event_log.dropped", "{event}",
        "Codegen events not written to event_logs (the queue full, or refused by the store)");

    long queued, written;

    /// <summary>Events queued so far and events the store has taken (for tests and /health).</summary>
    public (long Queued, long Written) Progress => (Interlocked.Read(ref queued), Interlocked.Read(ref written));

    public void Record(CodegenEventRecord e)
    {
        recorded.Add(1, new KeyValuePair<string, object?>("topic", e.Topic), new KeyValuePair<string, object?>("event_type", e.EventType));
        // PostgreSQL keeps microseconds: what is read back must equal what was written.
        e = e with { Timestamp = new DateTime(e.Timestamp.Ticks - e.Timestamp.Ticks % 10, DateTimeKind.Utc), Payload = Storable(e.Payload) };
        if (queue.Writer.TryWrite(e)) Interlocked.Increment(ref queued);
        else lost.Add(1, new KeyValuePair<string, object?>("reason", "queue_full"));
    }

    /// <summary>
    /// A session's status event, published by the outbox relay: the envelope is the payload, the session's status its status
    /// (processing until it is completed or failed), its timestamp the envelope's.
    /// </summary>
    public void RecordStatus(Guid eventId, string envelope, TopicPartitionOffset? position)
    {
        if (CodegenStatusRecord.Of(eventId, envelope, position?.Topic ?? CodegenTopics.Status, position?.Partition.Value, position?.Offset.Value) is { } row) Record(row);
        else LogUnreadableStatus(log, eventId);
    }

    /// <summary>A message's bytes as the payload column takes them: its JSON, or <c>{"raw": text}</c> when it is not JSON.</summary>
    public static string Payload(ReadOnlySpan<byte> value)
    {
        try
        {
            using var document = JsonDocument.Parse(value.ToArray());
            return document.RootElement.GetRawText();
        }
        catch (JsonException)
        {
            return JsonSerializer.Serialize(new Dictionary<string, string> { ["raw"] = Encoding.UTF8.GetString(value) });
        }
    }

    /// <summary>jsonb refuses the NUL character; it is stored as U+FFFD.</summary>
    static string Storable(string payload) => payload.Contains("\\u0000", StringComparison.Ordinal) ? payload.Replace("\\u0000", "\\ufffd", StringComparison.Ordinal) : payload;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<CodegenEventRecord>(BatchSize);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < BatchSize && queue.Reader.TryRead(out var e)) batch.Add(e);
                await WriteAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // What is still queued at shutdown gets one last try.
        while (queue.Reader.TryRead(out var e)) batch.Add(e);
        if (batch.Count > 0) await WriteAsync(batch, CancellationToken.None);
    }

    async Task WriteAsync(List<CodegenEventRecord> batch, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.AppendAsync(batch, stoppingToken);
                Interlocked.Add(ref written, batch.Count);
                return;
            }
            catch (Exception e) when (e is PostgresException && batch.Count > 1)
            {
                // Refused for what is in it: each on its own, so only the bad one is lost.
                foreach (var one in batch) await WriteAsync([one], stoppingToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < 5 && PostgresFailure.IsOutage(e))
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                lost.Add(batch.Count, new KeyValuePair<string, object?>("reason", "store_failed"));
                LogNotWritten(log, batch.Count, e);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Status event {EventId} could not be read for event_logs")]
    static partial void LogUnreadableStatus(ILogger logger, Guid eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} codegen events could not be written to event_logs")]
    static partial void LogNotWritten(ILogger logger, int count, Exception error);
}
