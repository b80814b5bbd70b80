using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using OmniBridge.Grains.Codegen.Events;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces.Codegen.Events;
using OmniBridge.Orleans.Streams.Kafka;
using OmniBridge.Silo.Postgres;

namespace OmniBridge.Silo.Kafka;

/// <summary>
/// The service's side of the codegen event protocol (docs/codegen-events.md): every silo consumes the four request topics in
/// the group <c>omniarchon_codegen_intelligence</c> (the partitions spread over the silos; the earliest offset when the
/// group has no commit), answers each request on its response topic, and sends a request it cannot read or answer to its
/// DLQ topic unchanged, with the error and where it came from in headers. Requests are answered concurrently (up to 64 at
/// once), so a slow one holds up no other; a partition's offset is committed only up to its oldest request not yet
/// settled (answer or dead letter acknowledged by the broker): at least once. A request redelivered to this silo (same
/// step and correlation id) is not answered again; every answer's <c>event_id</c> header is derived from its step and
/// correlation id, so a reader can also drop a second answer made by another silo after a rebalance.
/// </summary>
public sealed partial class CodegenRequestConsumer(
    KafkaClients clients,
    KafkaProducer producer,
    CodegenAnswers answers,
    CodegenEventJournal journal,
    CodegenDeadLetterMonitor monitor,
    IMeterFactory meters,
    TimeProvider clock,
    ILogger<CodegenRequestConsumer> log) : BackgroundService
{
    public const string ConsumerGroup = "omniarchon_codegen_intelligence";
    const int MaxInFlight = 64;
    const int Remembered = 10_000;

    readonly SemaphoreSlim slots = new(MaxInFlight);
    readonly Dictionary<TopicPartition, PartitionProgress> progress = [];
    readonly Lock gate = new();
    readonly ConcurrentDictionary<string, Task> answered = new();
    readonly ConcurrentQueue<string> answeredOrder = new();

    readonly Counter<long> requests = meters.Create(StoreGauges.MeterName).CreateCounter<long>("omnibridge.codegen.requests", "{request}",
        "Codegen requests consumed, by step and outcome (answered, dead_lettered, duplicate)");
    readonly Histogram<double> durations = meters.Create(StoreGauges.MeterName).CreateHistogram<double>("omnibridge.codegen.request.duration", "ms",
        "From a codegen request's receipt to its answer (or dead letter) acknowledged by the broker, by step");

    long inFlight;

    /// <summary>Requests being processed now, and the partitions this silo holds.</summary>
    public (long InFlight, int Partitions) Load
    {
        get
        {
            lock (gate) return (Interlocked.Read(ref inFlight), progress.Count);
        }
    }

    /// <summary>
    /// The loop blocks (in Consume, and waiting for a slot), so it has a thread of its own and never awaits: a
    /// continuation would carry it onto the thread pool, where it would hold one of the two cores' threads for good.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Consume(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    void Consume(CancellationToken stopping)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(clients.Consumer("omnibridge-codegen", ConsumerGroup, AutoOffsetReset.Earliest))
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, e) => { if (e.IsFatal) LogConsumerError(log, e.Reason); })
            .SetPartitionsAssignedHandler((_, partitions) =>
            {
                lock (gate) foreach (var p in partitions) progress[p] = new PartitionProgress();
            })
            .SetPartitionsRevokedHandler((c, partitions) => Revoke(c, partitions.Select(p => p.TopicPartition)))
            .SetPartitionsLostHandler((_, partitions) =>
            {
                lock (gate) foreach (var p in partitions) progress.Remove(p.TopicPartition);
            })
            .Build();
        consumer.Subscribe(CodegenTopics.Steps.Select(CodegenTopics.Request));
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(20)) is { Message: not null, IsPartitionEOF: false } message)
                {
                    PartitionProgress? partition;
                    lock (gate)
                    {
                        if (progress.TryGetValue(message.TopicPartition, out partition)) partition.Begin(message.Offset.Value);
                    }
                    // A free slot first: beyond MaxInFlight the loop waits (committing meanwhile), and the broker keeps the rest.
                    while (!slots.Wait(50, stopping)) Commit(consumer);
                    Interlocked.Increment(ref inFlight);
                    _ = Task.Run(() => ProcessAsync(message, partition, stopping), CancellationToken.None);
                }
                Commit(consumer);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (ConsumeException e)
            {
                // A topic nobody has written to yet, a broker away: the client recovers by itself.
                if (e.Error.Code is not Confluent.Kafka.ErrorCode.UnknownTopicOrPart) LogConsumeFailed(log, e.Error.Reason);
                stopping.WaitHandle.WaitOne(200);
            }
            catch (KafkaException e)
            {
                LogConsumeFailed(log, e.Error.Reason);
                stopping.WaitHandle.WaitOne(500);
            }
        }
        // Shutting down: what finishes within a few seconds is committed; the rest is redelivered to the next owner.
        var deadline = Stopwatch.StartNew();
        while (Interlocked.Read(ref inFlight) > 0 && deadline.Elapsed < TimeSpan.FromSeconds(5)) Thread.Sleep(20);
        try
        {
            Commit(consumer);
            consumer.Close();
        }
        catch (KafkaException e)
        {
            LogConsumeFailed(log, e.Error.Reason);
        }
    }

    void Revoke(IConsumer<byte[], byte[]> consumer, IEnumerable<TopicPartition> partitions)
    {
        Commit(consumer);
        lock (gate) foreach (var p in partitions) progress.Remove(p);
    }

    /// <summary>Commits, per partition, the offset after everything settled before its oldest unsettled request.</summary>
    void Commit(IConsumer<byte[], byte[]> consumer)
    {
        List<TopicPartitionOffset> due;
        lock (gate)
        {
            due = [.. progress.Where(p => p.Value.Due is not null).Select(p => new TopicPartitionOffset(p.Key, p.Value.Due!.Value))];
        }
        if (due.Count == 0) return;
        try
        {
            consumer.Commit(due);
            lock (gate)
            {
                foreach (var d in due) if (progress.TryGetValue(d.TopicPartition, out var p)) p.Committed(d.Offset.Value);
            }
        }
        catch (KafkaException e)
        {
            LogCommitFailed(log, e.Error.Reason);
        }
    }

    /// <summary>
    /// One request from receipt to its answer or dead letter; its offset is settled only if one of those was acknowledged, and
    /// only in the <paramref name="partition"/> progress it began in (a partition revoked meanwhile is another's to commit).
    /// </summary>
    async Task ProcessAsync(ConsumeResult<byte[], byte[]> message, PartitionProgress? partition, CancellationToken stopping)
    {
        var started = Stopwatch.GetTimestamp();
        var received = clock.GetUtcNow().UtcDateTime;
        var step = CodegenTopics.Steps.First(s => CodegenTopics.Request(s) == message.Topic);
        try
        {
            var settled = await AnswerOrDeadLetterAsync(message, step, started, received, stopping);
            if (settled && partition is not null)
            {
                lock (gate) partition.Done(message.Offset.Value);
            }
        }
        catch (Exception e) when (e is OperationCanceledException && stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Not even its dead letter could be written: the offset stays, and the request comes back after a restart or rebalance.
            LogNotSettled(log, message.Topic, message.Partition.Value, message.Offset.Value, e);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
            slots.Release();
        }
    }

    async Task<bool> AnswerOrDeadLetterAsync(ConsumeResult<byte[], byte[]> message, string step, long started, DateTime received, CancellationToken stopping)
    {
        double Elapsed() => Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var value = message.Message.Value ?? [];
        CodegenRequest request;
        try
        {
            request = CodegenRequestReader.Read(step, value);
        }
        catch (UnreadableCodegenRequestException e)
        {
            // Known by its place in the topic: redelivered to this silo (after a rebalance, before its offset was committed),
            // it is not dead-lettered a second time.
            var position = $"unreadable:{message.Topic}:{message.Partition.Value}:{message.Offset.Value}";
            if (await ClaimAsync(position, step) is not { } once) return true;
            try
            {
                await DeadLetterAsync(message, step, e.Message, received, Elapsed, stopping);
                Remember(position);
                return true;
            }
            catch
            {
                answered.TryRemove(position, out _);
                throw;
            }
            finally
            {
                once.TrySetResult();
            }
        }
        var key = $"{step}:{request.CorrelationId:D}";
        if (await ClaimAsync(key, step) is not { } mine) return true;
        try
        {
            var answer = await answers.AnswerAsync(request, Elapsed, stopping);
            var responseTopic = CodegenTopics.Response(step);
            var eventId = EventEnvelopes.NameBased($"codegen-response:{step}:{request.CorrelationId:D}");
            var body = Encoding.UTF8.GetBytes(answer.ToJsonString());
            var sentAt = clock.GetUtcNow().UtcDateTime;
            var delivered = await ProduceAsync(responseTopic, new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes(request.SessionId.ToString("D")),
                Value = body,
                Headers = new Headers
                {
                    { "event_id", Encoding.UTF8.GetBytes(eventId.ToString("D")) },
                    { "event_type", Encoding.UTF8.GetBytes($"codegen-response-{step}") },
                    { "correlation_id", Encoding.UTF8.GetBytes(request.CorrelationId.ToString("D")) },
                },
            }, stopping);
            var elapsed = Elapsed();
            mine.SetResult();
            Remember(key);
            journal.Record(Request(message, request.SessionId, request.CorrelationId.ToString("D"), received, CodegenEventStatuses.Received, null));
            journal.Record(new CodegenEventRecord
            {
                EventId = eventId,
                SessionId = request.SessionId,
                CorrelationId = request.CorrelationId.ToString("D"),
                EventType = CodegenEventTypes.Response,
                Topic = responseTopic,
                Partition = delivered.Partition.Value,
                Offset = delivered.Offset.Value,
                Timestamp = sentAt,
                Status = CodegenEventStatuses.Completed,
                ProcessingTimeMs = Math.Round(elapsed, 3),
                Payload = answer.ToJsonString(),
            });
            requests.Add(1, new KeyValuePair<string, object?>("step", step), new KeyValuePair<string, object?>("outcome", "answered"));
            durations.Record(elapsed, new KeyValuePair<string, object?>("step", step));
            return true;
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            answered.TryRemove(key, out _);
            mine.TrySetResult();
            LogAnswerFailed(log, step, request.CorrelationId, e);
            await DeadLetterAsync(message, step, $"the request could not be processed: {e.Message}", received, Elapsed, stopping);
            return true;
        }
        catch
        {
            answered.TryRemove(key, out _);
            mine.TrySetResult();
            throw;
        }
    }

    /// <summary>
    /// The claim on a request's one answer (or dead letter); null when it was redelivered or sent twice: then the first
    /// claim (under way or done) stands, and this waits for it to settle.
    /// </summary>
    async Task<TaskCompletionSource?> ClaimAsync(string key, string step)
    {
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (answered.GetOrAdd(key, mine.Task) is var first && first == mine.Task) return mine;
        await first.ContinueWith(_ => { }, TaskScheduler.Default);
        requests.Add(1, new KeyValuePair<string, object?>("step", step), new KeyValuePair<string, object?>("outcome", "duplicate"));
        return null;
    }

    /// <summary>Keeps the answered keys of the last <see cref="Remembered"/> requests.</summary>
    void Remember(string key)
    {
        answeredOrder.Enqueue(key);
        while (answeredOrder.Count > Remembered && answeredOrder.TryDequeue(out var oldest)) answered.TryRemove(oldest, out _);
    }

    /// <summary>The message to its DLQ topic as it came (key, value, headers), with the error and its source in headers.</summary>
    async Task DeadLetterAsync(ConsumeResult<byte[], byte[]> message, string step, string error, DateTime received, Func<double> elapsed, CancellationToken stopping)
    {
        var topic = CodegenTopics.DeadLetter(step);
        var headers = new Headers();
        foreach (var header in message.Message.Headers ?? []) headers.Add(header.Key, header.GetValueBytes());
        headers.Add(DeadLetterHeaders.Error, Encoding.UTF8.GetBytes(error));
        headers.Add(DeadLetterHeaders.SourceTopic, Encoding.UTF8.GetBytes(message.Topic));
        headers.Add(DeadLetterHeaders.SourcePartition, Encoding.UTF8.GetBytes(message.Partition.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(DeadLetterHeaders.SourceOffset, Encoding.UTF8.GetBytes(message.Offset.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(CodegenDeadLetterMonitor.DeadLetteredBy, Encoding.UTF8.GetBytes(monitor.Instance));
        var sentAt = clock.GetUtcNow().UtcDateTime;
        var delivered = await ProduceAsync(topic, new Message<byte[], byte[]> { Key = message.Message.Key, Value = message.Message.Value, Headers = headers }, stopping);
        monitor.Counted(topic, error);
        var (session, correlation) = Ids(message.Message.Value);
        var payload = CodegenEventJournal.Payload(message.Message.Value ?? []);
        journal.Record(Request(message, session, correlation, received, CodegenEventStatuses.Failed, error));
        journal.Record(new CodegenEventRecord
        {
            EventId = EventEnvelopes.NameBased($"codegen-dead-letter:{message.Topic}:{message.Partition.Value}:{message.Offset.Value}"),
            SessionId = session,
            CorrelationId = correlation,
            EventType = CodegenEventTypes.Error,
            Topic = topic,
            Partition = delivered.Partition.Value,
            Offset = delivered.Offset.Value,
            Timestamp = sentAt,
            Status = CodegenEventStatuses.Failed,
            ProcessingTimeMs = Math.Round(elapsed(), 3),
            Payload = payload,
            Error = error,
        });
        requests.Add(1, new KeyValuePair<string, object?>("step", step), new KeyValuePair<string, object?>("outcome", "dead_lettered"));
        LogDeadLettered(log, message.Topic, message.Partition.Value, message.Offset.Value, topic, error);
    }

    /// <summary>The consumed request as event_logs keeps it: its id is the producer's <c>event_id</c> header when that is a UUID, else derived from where it sits.</summary>
    static CodegenEventRecord Request(ConsumeResult<byte[], byte[]> message, Guid? session, string? correlation, DateTime received, string status, string? error) => new()
    {
        EventId = message.Message.Headers?.TryGetLastBytes("event_id", out var header) == true && Guid.TryParse(Encoding.UTF8.GetString(header), out var given)
            ? given : EventEnvelopes.NameBased($"codegen-request:{message.Topic}:{message.Partition.Value}:{message.Offset.Value}"),
        SessionId = session,
        CorrelationId = correlation,
        EventType = CodegenEventTypes.Request,
        Topic = message.Topic,
        Partition = message.Partition.Value,
        Offset = message.Offset.Value,
        Timestamp = received,
        Status = status,
        Payload = CodegenEventJournal.Payload(message.Message.Value ?? []),
        Error = error,
    };

    /// <summary>The session and correlation ids of a message that may not be a request at all, as far as they can be read.</summary>
    static (Guid? Session, string? Correlation) Ids(byte[]? value)
    {
        try
        {
            if (value is null || JsonNode.Parse(value) is not JsonObject body) return (null, null);
            var session = body["session_id"] is JsonValue s && s.TryGetValue<string>(out var text) && Guid.TryParse(text, out var id) ? id : (Guid?)null;
            var correlation = body["correlation_id"] is JsonValue c && c.TryGetValue<string>(out var cid) && cid.Length <= 200 ? cid : null;
            return (session, correlation);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return (null, null);
        }
    }

    /// <summary>Produces until the broker acknowledges; a broker away is waited for, a message refused for itself is not retried.</summary>
    async Task<DeliveryResult<byte[], byte[]>> ProduceAsync(string topic, Message<byte[], byte[]> message, CancellationToken stopping)
    {
        var wait = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                return await producer.ProduceAsync(topic, message, stopping);
            }
            catch (ProduceException<byte[], byte[]> e) when (!Outbox.OutboxDeadLetters.RefusesForItself(e.Error.Code))
            {
                LogProduceRetry(log, topic, e.Error.Reason);
                await Task.Delay(wait, stopping);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    /// <summary>What of one partition is under way: the offsets begun and not settled, and the highest settled.</summary>
    sealed class PartitionProgress
    {
        readonly SortedSet<long> pending = [];
        long highestDone = -1;
        long committed = -1;

        public void Begin(long offset) => pending.Add(offset);

        public void Done(long offset)
        {
            pending.Remove(offset);
            highestDone = Math.Max(highestDone, offset);
        }

        /// <summary>The offset to commit (the next to read after everything settled), or null when it is already committed.</summary>
        public long? Due
        {
            get
            {
                var next = pending.Count > 0 ? pending.Min : highestDone + 1;
                return next > committed && next > 0 ? next : null;
            }
        }

        public void Committed(long offset) => committed = Math.Max(committed, offset);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Codegen request {Topic}[{Partition}]@{Offset} went to {DeadLetterTopic}: {Error}")]
    static partial void LogDeadLettered(ILogger logger, string topic, int partition, long offset, string deadLetterTopic, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Codegen {Step} request {CorrelationId} could not be answered")]
    static partial void LogAnswerFailed(ILogger logger, string step, Guid correlationId, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Codegen request {Topic}[{Partition}]@{Offset} was neither answered nor dead-lettered; it will be read again")]
    static partial void LogNotSettled(ILogger logger, string topic, int partition, long offset, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Producing to {Topic} failed ({Reason}); retrying")]
    static partial void LogProduceRetry(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consuming the codegen request topics failed: {Reason}")]
    static partial void LogConsumeFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Committing codegen request offsets failed: {Reason}")]
    static partial void LogCommitFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The codegen request consumer failed for good: {Reason}")]
    static partial void LogConsumerError(ILogger logger, string reason);
}
