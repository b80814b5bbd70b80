using Confluent.Kafka;
using OmniBridge.Silo.Configuration;

namespace OmniBridge.Silo.Kafka;

/// <summary>The client configurations of one silo: every client shares the broker list and the security settings.</summary>
public sealed class KafkaClients(KafkaSettings settings)
{
    public KafkaSettings Settings { get; } = settings;

    /// <summary>
    /// Idempotent, acks from every in-sync replica: a retried send is written once, and a send
    /// reported delivered survives the loss of a broker. A send gives up after 30 s so a batch
    /// the broker cannot take is retried later instead of holding its rows forever.
    /// </summary>
    public ProducerConfig Producer(string name) => Common(new ProducerConfig
    {
        EnableIdempotence = true,
        Acks = Acks.All,
        MessageTimeoutMs = 30_000,
        LingerMs = 5,
        CompressionType = CompressionType.Lz4,
        ClientId = name,
    });

    /// <summary>
    /// A consumer of explicitly assigned partitions (no group rebalancing: Orleans decides who
    /// reads which partition), that commits only what it is told to, in the silos' group.
    /// </summary>
    public ConsumerConfig Consumer(string name) => Common(new ConsumerConfig
    {
        GroupId = Settings.ConsumerGroup,
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        AutoOffsetReset = Settings.StartPosition == KafkaStartPosition.Latest ? AutoOffsetReset.Latest : AutoOffsetReset.Earliest,
        ClientId = name,
    });

    public AdminClientConfig Admin(string name) => Common(new AdminClientConfig { ClientId = name });

    T Common<T>(T config) where T : ClientConfig
    {
        config.BootstrapServers = Settings.BootstrapServers;
        // Notice a dead broker within seconds, and keep trying to reach it in the background.
        config.SocketTimeoutMs = 10_000;
        config.ReconnectBackoffMaxMs = 5_000;
        if (Settings.SecurityProtocol is { } protocol) config.SecurityProtocol = Enum.Parse<SecurityProtocol>(protocol.Replace("_", ""), ignoreCase: true);
        if (Settings.SaslMechanism is { } mechanism) config.SaslMechanism = Enum.Parse<SaslMechanism>(mechanism.Replace("-", ""), ignoreCase: true);
        if (Settings.SaslUsername is { } user) config.SaslUsername = user;
        if (Settings.SaslPassword is { } password) config.SaslPassword = password;
        return config;
    }
}
