using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace OmniBridge.Orleans.Streams.Kafka;

/// <summary>
/// Reads one partition for the Orleans pulling agent that owns it. The partition is assigned, not
/// subscribed (Orleans decides who reads what; no group rebalancing), reading starts at the
/// group's committed offset (else the configured start position), and an offset is committed
/// only once every consumer has processed everything below it. A message that cannot be read
/// goes to the dead-letter topic, and so does one whose delivery failed for good; the partition
/// moves on. Consumer calls block, so they run on a thread of the receiver's own (<see cref="ReaderThread"/>), never on
/// the agent's or the thread pool's.
/// </summary>
public sealed partial class KafkaQueueAdapterReceiver : IQueueAdapterReceiver
{
    static readonly TimeSpan PauseAfterError = TimeSpan.FromSeconds(1);
    static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(10);
    readonly TopicPartition partition;
    readonly KafkaTopicOptions topic;
    readonly KafkaStreamOptions options;
    readonly string clientId;
    readonly DeadLetters deadLetters;
    readonly ILogger log;
    readonly PartitionProgress<Message<byte[], byte[]>> progress = new();
    IConsumer<byte[], byte[]>? consumer;
    ReaderThread? readerThread;
    long? committed;
    DateTime pausedUntil;
    DateTime lastReadFailureLogged;

    internal KafkaQueueAdapterReceiver(TopicPartition partition, KafkaTopicOptions topic, KafkaStreamOptions options, string clientId, DeadLetters deadLetters, ILogger log)
    {
        (this.partition, this.topic, this.options, this.deadLetters, this.log) = (partition, topic, options, deadLetters, log);
        this.clientId = $"{clientId}-{partition.Topic}-{partition.Partition.Value}";
    }

    /// <summary>The topic and partition this receiver reads.</summary>
    public TopicPartition Partition => partition;

    /// <summary>
    /// The offset this receiver started reading at: the group's committed offset, else the start
    /// position resolved against the partition when it was first opened. Null until then.
    /// </summary>
    public long? StartedAt { get; private set; }

    // The runtime calls the overloads with a cancellation token; the older ones (obsolete, still
    // abstract in Orleans 10.4) forward to them.
    public Task Initialize(TimeSpan timeout) => Initialize(timeout, CancellationToken.None);

    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    public Task Shutdown(TimeSpan timeout) => Shutdown(timeout, CancellationToken.None);

    // The consumer is opened by the first read, off the agent's thread: finding where to start asks the broker.
    public Task Initialize(TimeSpan timeout, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        if (DateTime.UtcNow < pausedUntil) return [];
        var limit = maxCount < 0 ? options.MaxBatchSize : Math.Min(maxCount, options.MaxBatchSize);
        IConsumer<byte[], byte[]> reader;
        List<ConsumeResult<byte[], byte[]>> read;
        try
        {
            (reader, read) = await Blocking.RunAsync(() =>
            {
                var opened = Open();
                return (opened, Read(opened, limit));
            });
        }
        catch (KafkaException e)
        {
            // The topic is not there yet, the group coordinator is away...: start again from where
            // this receiver is, in a moment. Throwing would stall the partition for 10 s or more.
            if (DateTime.UtcNow - lastReadFailureLogged > TimeSpan.FromMinutes(1))
            {
                LogReadFailed(log, partition.Topic, partition.Partition.Value, e.Error.Reason);
                lastReadFailureLogged = DateTime.UtcNow;
            }
            await CloseAsync();
            pausedUntil = DateTime.UtcNow + PauseAfterError;
            return [];
        }
        var batch = new List<IBatchContainer>(read.Count);
        foreach (var message in read)
        {
            var offset = message.Offset.Value;
            try
            {
                var (stream, events) = topic.Codec.Decode(message.Message);
                batch.Add(new KafkaBatchContainer { StreamId = stream, Events = events, Token = new EventSequenceTokenV2(offset) });
                progress.Read(offset, message.Message);
            }
            catch (Exception poison) when (poison is not OutOfMemoryException)
            {
                // A codec's FormatException, or anything else it throws: the message goes aside, never the partition.
                if (!await TryDeadLetterAsync(offset, message.Message, poison.Message))
                {
                    // It cannot be parked now: read it (and what follows) again on the next pass.
                    reader.Seek(message.TopicPartitionOffset);
                    break;
                }
                progress.Passed(offset);
            }
        }
        return batch;
    }

    public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        var failed = progress.Delivered(messages.OfType<KafkaBatchContainer>().Select(m => m.Offset));
        foreach (var (offset, message) in failed)
        {
            // Left out by the cache: its delivery failed after every retry. Park it, then move on.
            if (!await TryDeadLetterAsync(offset, message, "not processed by every consumer within the delivery time")) break;
            progress.Settle(offset);
        }
        await CommitAsync();
    }

    public async Task Shutdown(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await CommitAsync();
        await CloseAsync();
        readerThread?.Dispose();
        readerThread = null;
    }

    /// <summary>The thread the consumer's blocking calls run on, started by the first of them.</summary>
    ReaderThread Blocking => readerThread ??= new ReaderThread($"kafka {partition.Topic}[{partition.Partition.Value}]");

    /// <summary>The thread the consumer's calls run on, while the receiver has one (for tests).</summary>
    internal Thread? ReaderThreadOf => readerThread?.Thread;

    async Task CloseAsync()
    {
        if (consumer is not { } reader) return;
        consumer = null;
        await Blocking.RunAsync(() =>
        {
            reader.Close();
            reader.Dispose();
        });
    }

    /// <summary>
    /// The consumer, assigned at the offset after the last one read, else where <see cref="StartOffset"/>
    /// says. Blocks on the broker the first time: call it on the receiver's own thread.
    /// </summary>
    IConsumer<byte[], byte[]> Open()
    {
        if (consumer is { } open) return open;
        var created = new ConsumerBuilder<byte[], byte[]>(KafkaClientConfigs.Consumer(options, clientId))
            .SetErrorHandler((_, error) =>
            {
                if (error.IsFatal) LogClientError(log, partition.Topic, partition.Partition.Value, error.Reason);
            })
            .SetLogHandler((_, _) => { })
            .Build();
        consumer = created;
        created.Assign(new TopicPartitionOffset(partition, progress.Next is { } next ? new Offset(next) : StartOffset(created)));
        return created;
    }

    /// <summary>
    /// Where a receiver that has read nothing yet starts: the group's committed offset, else the
    /// configured start position resolved to an offset now. Resolved here rather than by the
    /// consumer's first fetch, so that "latest" means the end of the partition when this receiver
    /// started, not wherever it was a moment later.
    /// </summary>
    Offset StartOffset(IConsumer<byte[], byte[]> reader)
    {
        var committedOffset = reader.Committed([partition], BrokerTimeout).Single().Offset;
        var start = committedOffset.Value >= 0 ? committedOffset
            : options.StartPosition == AutoOffsetReset.Latest ? reader.QueryWatermarkOffsets(partition, BrokerTimeout).High
            : reader.QueryWatermarkOffsets(partition, BrokerTimeout).Low;
        StartedAt = start.Value;
        LogStarted(log, partition.Topic, partition.Partition.Value, start.Value, committedOffset.Value >= 0 ? "the group's committed offset" : options.StartPosition.ToString());
        return start;
    }

    /// <summary>Up to <paramref name="limit"/> messages: waits a poll for the first, then takes what is already there.</summary>
    List<ConsumeResult<byte[], byte[]>> Read(IConsumer<byte[], byte[]> reader, int limit)
    {
        var read = new List<ConsumeResult<byte[], byte[]>>();
        try
        {
            for (var next = reader.Consume(options.PollTimeout); next is not null; next = read.Count < limit ? reader.Consume(TimeSpan.Zero) : null)
            {
                if (!next.IsPartitionEOF) read.Add(next);
            }
        }
        catch (ConsumeException e) when (read.Count > 0)
        {
            // Keep what was read (the position has passed it); the error shows again on the next read.
            LogReadStopped(log, partition.Topic, partition.Partition.Value, e);
        }
        return read;
    }

    async Task<bool> TryDeadLetterAsync(long offset, Message<byte[], byte[]> message, string error)
    {
        try
        {
            await deadLetters.SendAsync(topic.DeadLetterTopic, new TopicPartitionOffset(partition, offset), message, error);
            LogDeadLettered(log, partition.Topic, partition.Partition.Value, offset, topic.DeadLetterTopic, error);
            return true;
        }
        catch (Exception e) when (e is KafkaException or OperationCanceledException)
        {
            LogDeadLetterFailed(log, partition.Topic, partition.Partition.Value, offset, topic.DeadLetterTopic, e);
            return false;
        }
    }

    async Task CommitAsync()
    {
        if (progress.Committable is not { } offset || offset == committed) return;
        // After a read error the consumer is closed; committing needs one (reopened where it was: no broker call).
        try
        {
            await Blocking.RunAsync(() => Open().Commit([new TopicPartitionOffset(partition, offset)]));
            committed = offset;
        }
        catch (KafkaException e)
        {
            // Not committed: a restart reads a little more again (at-least-once).
            LogCommitFailed(log, partition.Topic, partition.Partition.Value, offset, e);
        }
    }

    public override string ToString() => $"KafkaQueueAdapterReceiver({partition})";

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka read of {Topic}[{Partition}] starts at offset {Offset} ({Why})")]
    static partial void LogStarted(ILogger logger, string topic, int partition, long offset, string why);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka consumer {Topic}[{Partition}] failed for good: {Reason}")]
    static partial void LogClientError(ILogger logger, string topic, int partition, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka read of {Topic}[{Partition}] stopped early")]
    static partial void LogReadStopped(ILogger logger, string topic, int partition, Exception error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka read of {Topic}[{Partition}] failed ({Reason}); reading again every second (said once a minute)")]
    static partial void LogReadFailed(ILogger logger, string topic, int partition, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {Topic}[{Partition}]@{Offset} went to {DeadLetterTopic}: {Error}")]
    static partial void LogDeadLettered(ILogger logger, string topic, int partition, long offset, string deadLetterTopic, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {Topic}[{Partition}]@{Offset} could not go to {DeadLetterTopic}; will retry")]
    static partial void LogDeadLetterFailed(ILogger logger, string topic, int partition, long offset, string deadLetterTopic, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Commit of {Topic}[{Partition}] at {Offset} failed; will retry")]
    static partial void LogCommitFailed(ILogger logger, string topic, int partition, long offset, Exception error);
}
