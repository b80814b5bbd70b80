using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace OmniBridge.Orleans.Streams.Kafka;

/// <summary>
/// The Kafka side of a stream provider: a receiver per queue, one queue per partition of each
/// topic; and, when the options let producers write, the producing side of <c>OnNextAsync</c>.
/// </summary>
public sealed class KafkaQueueAdapter : IQueueAdapter
{
    readonly KafkaStreamOptions options;
    readonly KafkaQueueMap queues;
    readonly KafkaStreamProducer producer;
    readonly DeadLetters deadLetters;
    readonly ILoggerFactory loggers;
    readonly Dictionary<string, KafkaTopicOptions> writers;

    internal KafkaQueueAdapter(string name, KafkaStreamOptions options, KafkaQueueMap queues, KafkaStreamProducer producer, ILoggerFactory loggers)
    {
        (Name, this.options, this.queues, this.producer, this.loggers) = (name, options, queues, producer, loggers);
        deadLetters = new DeadLetters(producer);
        writers = options.Topics.SelectMany(t => t.StreamNamespaces.Select(ns => (ns, t))).ToDictionary(w => w.ns, w => w.t, StringComparer.Ordinal);
    }

    public string Name { get; }

    /// <summary>Consumers cannot rewind: the cache holds only what is being delivered.</summary>
    public bool IsRewindable => false;

    public StreamProviderDirection Direction => options.Direction;

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId)
    {
        var (topic, partition) = queues[queueId];
        return CreateReceiver(topic, partition);
    }

    /// <summary>A receiver of one partition of one of the provider's topics, as the pulling agent of its queue would have it.</summary>
    public KafkaQueueAdapterReceiver CreateReceiver(TopicPartition partition)
    {
        var topic = options.Topics.SingleOrDefault(t => t.Name == partition.Topic)
            ?? throw new ArgumentException($"stream provider {Name} has no topic {partition.Topic}", nameof(partition));
        return CreateReceiver(topic, partition);
    }

    KafkaQueueAdapterReceiver CreateReceiver(KafkaTopicOptions topic, TopicPartition partition) =>
        new(partition, topic, options, options.ClientId ?? Name, deadLetters, loggers.CreateLogger<KafkaQueueAdapterReceiver>());

    /// <summary>
    /// Produces <paramref name="events"/> as one message to the topic that takes the stream's
    /// namespace, on the partition the stream id hashes to, and completes once every in-sync
    /// replica has it. A stream's events stay in order on one partition.
    /// </summary>
    public async Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (options.Direction is not (StreamProviderDirection.ReadWrite or StreamProviderDirection.WriteOnly))
            throw new InvalidOperationException($"stream provider {Name} only reads Kafka: set KafkaStreamOptions.Direction to ReadWrite to produce through it");
        if (token is not null)
            throw new ArgumentException($"stream provider {Name}: Kafka assigns the offsets, so events cannot be produced with a sequence token", nameof(token));
        var ns = streamId.GetNamespace() ?? "";
        if (!writers.TryGetValue(ns, out var topic))
            throw new InvalidOperationException($"stream provider {Name}: no topic takes stream namespace '{ns}' (KafkaTopicOptions.StreamNamespaces)");
        var encoder = topic.Encoder ?? throw new InvalidOperationException($"stream provider {Name}: topic {topic.Name} has no Encoder");
        var message = encoder.Encode(streamId, [.. events.Cast<object>()]);
        await producer.ProduceAsync(new TopicPartition(topic.Name, PartitionOf(streamId, topic.Partitions)), message);
    }

    /// <summary>
    /// The partition a stream's events are produced to: FNV-1a of the stream id's bytes, so that
    /// every silo and client, whatever its version of Orleans or librdkafka, picks the same one.
    /// </summary>
    internal static int PartitionOf(StreamId stream, int partitions)
    {
        var hash = 2166136261u;
        foreach (var b in stream.FullKey.Span) hash = (hash ^ b) * 16777619u;
        return (int)(hash % (uint)partitions);
    }
}
