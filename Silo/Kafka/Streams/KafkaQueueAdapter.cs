using Confluent.Kafka;
using Orleans.Runtime;
using Orleans.Streams;

namespace OmniBridge.Silo.Kafka.Streams;

/// <summary>
/// The Kafka side of a stream provider: a receiver per queue, one queue per partition of the
/// codec's topic. It only reads: events reach Kafka through the transactional outbox, so none can
/// bypass the database transaction of the change it reports.
/// </summary>
public sealed class KafkaQueueAdapter(
    string name,
    HashRingBasedPartitionedStreamQueueMapper mapper,
    KafkaClients clients,
    IKafkaEventCodec codec,
    DeadLetters deadLetters,
    KafkaStreamOptions options,
    ILoggerFactory loggers) : IQueueAdapter
{
    public string Name => name;

    /// <summary>Consumers cannot rewind: the cache holds only what is being delivered.</summary>
    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadOnly;

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) =>
        new KafkaQueueAdapterReceiver(new TopicPartition(codec.Topic, int.Parse(mapper.QueueToPartition(queueId), System.Globalization.CultureInfo.InvariantCulture)),
            clients, codec, deadLetters, options, loggers.CreateLogger<KafkaQueueAdapterReceiver>());

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        throw new InvalidOperationException($"stream provider {name} reads Kafka only: events are published through the outbox");
}
