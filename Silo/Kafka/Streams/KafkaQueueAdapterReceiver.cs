using Confluent.Kafka;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace OmniBridge.Silo.Kafka.Streams;

/// <summary>
/// Reads one partition for the Orleans pulling agent that owns it. The partition is assigned, not
/// subscribed (Orleans decides who reads what; no group rebalancing), reading starts at the
/// group's committed offset (else the configured start position), and an offset is committed
/// only once every consumer has processed everything below it. A message that cannot be read
/// goes to the dead-letter topic, and so does one whose delivery failed for good; the partition
/// moves on. Consumer calls block, so they run off the agent's thread.
/// </summary>
public sealed partial class KafkaQueueAdapterReceiver(
    TopicPartition partition,
    KafkaClients clients,
    IKafkaEventCodec codec,
    DeadLetters deadLetters,
    KafkaStreamOptions options,
    ILogger<KafkaQueueAdapterReceiver> log) : IQueueAdapterReceiver
{
    readonly PartitionProgress<Message<byte[], byte[]>> progress = new();
    IConsumer<byte[], byte[]>? consumer;
    long? committed;

    public Task Initialize(TimeSpan timeout)
    {
        Open();
        return Task.CompletedTask;
    }

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount)
    {
        var reader = Open();
        var limit = maxCount < 0 ? options.MaxBatchSize : Math.Min(maxCount, options.MaxBatchSize);
        var read = await Task.Run(() => Read(reader, limit));
        var batch = new List<IBatchContainer>(read.Count);
        foreach (var message in read)
        {
            var offset = message.Offset.Value;
            try
            {
                var (stream, events) = codec.Decode(message.Message);
                batch.Add(new KafkaBatchContainer { StreamId = stream, Events = events, Token = new EventSequenceTokenV2(offset) });
                progress.Read(offset, message.Message);
            }
            catch (FormatException poison)
            {
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

    public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages)
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

    public async Task Shutdown(TimeSpan timeout)
    {
        if (consumer is not { } reader) return;
        await CommitAsync();
        await Task.Run(() =>
        {
            reader.Close();
            reader.Dispose();
        });
        consumer = null;
    }

    IConsumer<byte[], byte[]> Open()
    {
        if (consumer is { } open) return open;
        var created = new ConsumerBuilder<byte[], byte[]>(clients.Consumer($"omnibridge-{partition.Topic}-{partition.Partition.Value}"))
            .SetErrorHandler((_, error) => LogClientError(log, partition.Topic, partition.Partition.Value, error.Reason))
            .SetLogHandler((_, _) => { })
            .Build();
        created.Assign(new TopicPartitionOffset(partition, Offset.Stored));
        return consumer = created;
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
            LogReadFailed(log, partition.Topic, partition.Partition.Value, e);
        }
        return read;
    }

    async Task<bool> TryDeadLetterAsync(long offset, Message<byte[], byte[]> message, string error)
    {
        try
        {
            await deadLetters.SendAsync(new TopicPartitionOffset(partition, offset), message, error);
            LogDeadLettered(log, partition.Topic, partition.Partition.Value, offset, error);
            return true;
        }
        catch (Exception e) when (e is KafkaException or OperationCanceledException)
        {
            LogDeadLetterFailed(log, partition.Topic, partition.Partition.Value, offset, e);
            return false;
        }
    }

    async Task CommitAsync()
    {
        if (consumer is not { } reader || progress.Committable is not { } offset || offset == committed) return;
        try
        {
            await Task.Run(() => reader.Commit([new TopicPartitionOffset(partition, offset)]));
            committed = offset;
        }
        catch (KafkaException e)
        {
            // Not committed: a restart re-reads a little more, and consumers deduplicate by event id.
            LogCommitFailed(log, partition.Topic, partition.Partition.Value, offset, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka consumer {Topic}[{Partition}]: {Reason}")]
    static partial void LogClientError(ILogger logger, string topic, int partition, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka read of {Topic}[{Partition}] stopped early")]
    static partial void LogReadFailed(ILogger logger, string topic, int partition, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {Topic}[{Partition}]@{Offset} went to the dead-letter topic: {Error}")]
    static partial void LogDeadLettered(ILogger logger, string topic, int partition, long offset, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {Topic}[{Partition}]@{Offset} could not go to the dead-letter topic; will retry")]
    static partial void LogDeadLetterFailed(ILogger logger, string topic, int partition, long offset, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Commit of {Topic}[{Partition}] at {Offset} failed; will retry")]
    static partial void LogCommitFailed(ILogger logger, string topic, int partition, long offset, Exception error);
}
