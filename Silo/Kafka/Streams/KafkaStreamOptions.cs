using Orleans.Runtime;

namespace OmniBridge.Silo.Kafka.Streams;

/// <summary>How a Kafka stream provider reads its topic (the topic itself is its codec's).</summary>
public sealed class KafkaStreamOptions
{
    /// <summary>The topic's partitions: one Orleans queue each. It must match the topic, on every silo.</summary>
    public int Partitions { get; set; } = 4;

    /// <summary>Most messages one read takes from a partition (the cache may ask for fewer).</summary>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>How long one read waits for the first message.</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMilliseconds(100);
}

/// <summary>Refuses a provider whose options cannot work, when the silo starts.</summary>
public sealed class KafkaStreamOptionsValidator(KafkaStreamOptions options, string name) : IConfigurationValidator
{
    public static IConfigurationValidator Create(IServiceProvider services, string name) =>
        new KafkaStreamOptionsValidator(services.GetOptionsByName<KafkaStreamOptions>(name), name);

    public void ValidateConfiguration()
    {
        if (options.Partitions is < 1 or > 1024)
            throw new OrleansConfigurationException($"Kafka stream provider {name}: Partitions must be from 1 to 1024, not {options.Partitions}");
        if (options.MaxBatchSize < 1)
            throw new OrleansConfigurationException($"Kafka stream provider {name}: MaxBatchSize must be positive, not {options.MaxBatchSize}");
        if (options.PollTimeout <= TimeSpan.Zero || options.PollTimeout > TimeSpan.FromSeconds(5))
            throw new OrleansConfigurationException($"Kafka stream provider {name}: PollTimeout must be over zero and at most 5 s, not {options.PollTimeout}");
    }
}
