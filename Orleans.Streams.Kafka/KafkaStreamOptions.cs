using Confluent.Kafka;
using Orleans.Streams;

namespace OmniBridge.Orleans.Streams.Kafka;

/// <summary>
/// One Kafka stream provider: how it reaches the brokers, the topics it reads (each with its
/// codec, one Orleans queue per partition), and whether producers may write through it.
/// </summary>
/// <remarks>
/// The provider's name, its topics and their partition counts decide the queues and where each
/// stream is read: keep them the same on every silo, and change them only with every silo stopped.
/// </remarks>
public sealed class KafkaStreamOptions
{
    /// <summary>bootstrap.servers: host:port[,host:port...].</summary>
    public string BootstrapServers { get; set; } = "";

    /// <summary>
    /// The consumer group under which the silos commit what every consumer has processed. Partitions
    /// are assigned, not subscribed: the group only keeps the offsets, Orleans decides who reads what.
    /// </summary>
    public string ConsumerGroup { get; set; } = "";

    /// <summary>
    /// Where a partition with no offset committed for <see cref="ConsumerGroup"/> starts:
    /// <see cref="AutoOffsetReset.Earliest"/> (the oldest message kept) or <see cref="AutoOffsetReset.Latest"/>
    /// (the end of the partition when its receiver opens, so only what is produced afterwards).
    /// </summary>
    public AutoOffsetReset StartPosition { get; set; } = AutoOffsetReset.Earliest;

    /// <summary>security.protocol; null leaves librdkafka's default (plaintext).</summary>
    public SecurityProtocol? SecurityProtocol { get; set; }

    /// <summary>sasl.mechanism, with <see cref="SaslUsername"/> and <see cref="SaslPassword"/>.</summary>
    public SaslMechanism? SaslMechanism { get; set; }

    public string? SaslUsername { get; set; }

    public string? SaslPassword { get; set; }

    /// <summary>
    /// Any other librdkafka property for every client of the provider (ssl.ca.location,
    /// socket.timeout.ms...). The settings this provider's guarantees rest on (manual commits, the
    /// group, idempotent acks=all producers) cannot be overridden here.
    /// </summary>
    public IDictionary<string, string> ClientSettings { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>client.id prefix of the provider's clients (each consumer adds its topic and partition); null for the provider's name.</summary>
    public string? ClientId { get; set; }

    /// <summary>The topics the provider reads (and writes), in any order.</summary>
    public IList<KafkaTopicOptions> Topics { get; } = [];

    /// <summary>
    /// <see cref="StreamProviderDirection.ReadOnly"/> (the default): the provider delivers what is on
    /// the topics and producing through it throws. <see cref="StreamProviderDirection.ReadWrite"/>:
    /// <c>OnNextAsync</c> produces to the topic whose <see cref="KafkaTopicOptions.StreamNamespaces"/>
    /// holds the stream's namespace, through that topic's <see cref="KafkaTopicOptions.Encoder"/>.
    /// </summary>
    public StreamProviderDirection Direction { get; set; } = StreamProviderDirection.ReadOnly;

    /// <summary>Most messages one read takes from a partition (the cache may ask for fewer).</summary>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>How long one read waits for the first message.</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Adds a topic of <paramref name="partitions"/> partitions whose messages <paramref name="codec"/> reads.</summary>
    /// <returns>The topic's options, to set its dead-letter topic or what it writes.</returns>
    public KafkaTopicOptions AddTopic(string name, int partitions, IKafkaEventCodec codec)
    {
        var topic = new KafkaTopicOptions(name, partitions, codec);
        Topics.Add(topic);
        return topic;
    }
}

/// <summary>One topic of a Kafka stream provider.</summary>
public sealed class KafkaTopicOptions(string name, int partitions, IKafkaEventCodec codec)
{
    public string Name { get; } = name;

    /// <summary>The topic's partitions, one Orleans queue each: it must be the topic's partition count (partitions above it are never read).</summary>
    public int Partitions { get; } = partitions;

    /// <summary>Reads the topic's messages.</summary>
    public IKafkaEventCodec Codec { get; } = codec;

    /// <summary>
    /// Where messages that cannot be read, or that no consumer managed to process, go, unchanged,
    /// with why and where they came from in headers (<see cref="DeadLetterHeaders"/>). The topic's
    /// name with <c>.dlq</c> appended unless set.
    /// </summary>
    public string DeadLetterTopic { get; set; } = name + ".dlq";

    /// <summary>Writes the topic's messages when the provider lets producers write: the codec, if it implements both, unless set.</summary>
    public IKafkaEventEncoder? Encoder { get; set; } = codec as IKafkaEventEncoder;

    /// <summary>The stream namespaces whose events producers write to this topic (a namespace belongs to one topic at most).</summary>
    public ISet<string> StreamNamespaces { get; } = new HashSet<string>(StringComparer.Ordinal);

    public override string ToString() => $"{Name} ({Partitions} partitions)";
}
