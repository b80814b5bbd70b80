using Confluent.Kafka;

namespace OmniBridge.Orleans.Streams.Kafka;

/// <summary>The configurations of a provider's clients: its connection settings, then what its guarantees need.</summary>
internal static class KafkaClientConfigs
{
    /// <summary>
    /// A consumer of explicitly assigned partitions (no group rebalancing: Orleans decides who reads
    /// which partition) that commits only what it is told to, in the provider's group.
    /// </summary>
    public static ConsumerConfig Consumer(KafkaStreamOptions options, string clientId)
    {
        var config = Common(new ConsumerConfig(Defaults(options)), options, clientId);
        config.GroupId = options.ConsumerGroup;
        config.EnableAutoCommit = false;
        config.EnableAutoOffsetStore = false;
        config.AutoOffsetReset = options.StartPosition;
        return config;
    }

    /// <summary>
    /// Idempotent, acks from every in-sync replica: a retried send is written once and in order, and
    /// a send reported delivered survives the loss of a broker. A send gives up after 30 s.
    /// </summary>
    public static ProducerConfig Producer(KafkaStreamOptions options, string clientId)
    {
        var settings = Defaults(options);
        settings.TryAdd("message.timeout.ms", "30000");
        settings.TryAdd("linger.ms", "5");
        var config = Common(new ProducerConfig(settings), options, clientId);
        config.EnableIdempotence = true;
        config.Acks = Acks.All;
        return config;
    }

    static Dictionary<string, string> Defaults(KafkaStreamOptions options)
    {
        var settings = new Dictionary<string, string>(options.ClientSettings, StringComparer.Ordinal);
        // Notice a dead broker within seconds, and keep trying to reach it in the background.
        settings.TryAdd("socket.timeout.ms", "10000");
        settings.TryAdd("reconnect.backoff.max.ms", "5000");
        return settings;
    }

    static T Common<T>(T config, KafkaStreamOptions options, string clientId) where T : ClientConfig
    {
        config.BootstrapServers = options.BootstrapServers;
        config.ClientId = clientId;
        if (options.SecurityProtocol is { } protocol) config.SecurityProtocol = protocol;
        if (options.SaslMechanism is { } mechanism) config.SaslMechanism = mechanism;
        if (options.SaslUsername is { } user) config.SaslUsername = user;
        if (options.SaslPassword is { } password) config.SaslPassword = password;
        return config;
    }
}
