using Confluent.Kafka;
using Orleans.Streams;

namespace OmniBridge.Orleans.Streams.Kafka;

/// <summary>Refuses, when the silo or client starts, a Kafka stream provider whose options cannot work, naming the option.</summary>
public sealed class KafkaStreamOptionsValidator(KafkaStreamOptions options, string name) : IConfigurationValidator
{
    public static IConfigurationValidator Create(IServiceProvider services, string name) =>
        new KafkaStreamOptionsValidator(services.GetOptionsByName<KafkaStreamOptions>(name), name);

    public void ValidateConfiguration()
    {
        if (string.IsNullOrWhiteSpace(options.BootstrapServers)) Refuse("BootstrapServers is empty: set the brokers' host:port list");
        if (options.Direction is StreamProviderDirection.None) Refuse("Direction is None: ReadOnly or ReadWrite");
        var reads = options.Direction is StreamProviderDirection.ReadOnly or StreamProviderDirection.ReadWrite;
        if (reads && string.IsNullOrWhiteSpace(options.ConsumerGroup)) Refuse("ConsumerGroup is empty: the silos commit what they processed under it");
        if (options.StartPosition is not (AutoOffsetReset.Earliest or AutoOffsetReset.Latest))
            Refuse($"StartPosition must be Earliest or Latest, not {options.StartPosition}");
        if (options.MaxBatchSize < 1) Refuse($"MaxBatchSize must be positive, not {options.MaxBatchSize}");
        if (options.PollTimeout <= TimeSpan.Zero || options.PollTimeout > TimeSpan.FromSeconds(5))
            Refuse($"PollTimeout must be over zero and at most 5 s, not {options.PollTimeout}");
        if (options.Topics.Count == 0) Refuse("Topics is empty: add a topic with its codec (AddTopic)");

        var names = new HashSet<string>(StringComparer.Ordinal);
        var writers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var topic in options.Topics)
        {
            if (!IsTopicName(topic.Name)) Refuse($"topic '{topic.Name}' is not a Kafka topic name (letters, digits, '.', '_', '-'; at most 249)");
            if (!names.Add(topic.Name)) Refuse($"topic {topic.Name} is listed twice");
            if (topic.Partitions is < 1 or > 1024) Refuse($"topic {topic.Name}: Partitions must be from 1 to 1024, not {topic.Partitions}");
            if (topic.Codec is null) Refuse($"topic {topic.Name} has no codec");
            if (!IsTopicName(topic.DeadLetterTopic) || topic.DeadLetterTopic == topic.Name)
                Refuse($"topic {topic.Name}: DeadLetterTopic '{topic.DeadLetterTopic}' is not another Kafka topic name");
            foreach (var ns in topic.StreamNamespaces)
            {
                if (writers.TryGetValue(ns, out var other)) Refuse($"stream namespace '{ns}' is written to both {other} and {topic.Name}");
                writers[ns] = topic.Name;
                if (topic.Encoder is null) Refuse($"topic {topic.Name} takes stream namespace '{ns}' but has no Encoder");
            }
        }
        if (options.Direction is StreamProviderDirection.ReadWrite or StreamProviderDirection.WriteOnly && writers.Count == 0)
            Refuse($"Direction is {options.Direction} but no topic lists StreamNamespaces to write");
    }

    static bool IsTopicName(string? topic) =>
        topic is { Length: > 0 and <= 249 } && topic is not ("." or "..") && topic.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    void Refuse(string why) => throw new OrleansConfigurationException($"Kafka stream provider {name}: {why}");
}
