using System.Globalization;
using Confluent.Kafka;
using Orleans.Streams;

namespace OmniBridge.Orleans.Streams.Kafka;

/// <summary>
/// The provider's queues: one per (topic, partition), in topic-name then partition order, on a hash
/// ring. Built from the options alone, so every silo and client holds the same map without asking
/// a broker.
/// </summary>
internal sealed class KafkaQueueMap
{
    readonly List<(KafkaTopicOptions Topic, int Partition)> partitions;

    public KafkaQueueMap(string providerName, IEnumerable<KafkaTopicOptions> topics)
    {
        partitions = [.. topics.OrderBy(t => t.Name, StringComparer.Ordinal).SelectMany(t => Enumerable.Range(0, t.Partitions).Select(p => (t, p)))];
        // The mapper pairs its queues with these ids in order: the id is the index in the list above.
        Mapper = new HashRingBasedPartitionedStreamQueueMapper(
            [.. Enumerable.Range(0, partitions.Count).Select(i => i.ToString(CultureInfo.InvariantCulture))], providerName);
    }

    public HashRingBasedPartitionedStreamQueueMapper Mapper { get; }

    /// <summary>The topic and partition a queue reads.</summary>
    public (KafkaTopicOptions Topic, TopicPartition Partition) this[QueueId queue]
    {
        get
        {
            var (topic, partition) = partitions[int.Parse(Mapper.QueueToPartition(queue), CultureInfo.InvariantCulture)];
            return (topic, new TopicPartition(topic.Name, partition));
        }
    }
}
