using Confluent.Kafka;
using OmniBridge.Silo.Configuration;

namespace OmniBridge.Silo.Kafka;

/// <summary>
/// The client configurations of one silo: every client shares the broker list and the security
/// settings. The stream provider's consumers are the Kafka stream library's own, configured from the
/// same settings (<see cref="KafkaComposition"/>).
/// </summary>
public sealed class KafkaClients(KafkaSettings settings)
{
    public KafkaSettings Settings { get; } = settings;

    /// <summary>KAFKA_SECURITY_PROTOCOL as the client library spells it (SASL_SSL is SaslSsl), or null.</summary>
    public SecurityProtocol? SecurityProtocol { get; } =
        settings.SecurityProtocol is { } protocol ? Enum.Parse<SecurityProtocol>(protocol.Replace("_", "", StringComparison.Ordinal), ignoreCase: true) : null;

    /// <summary>KAFKA_SASL_MECHANISM as the client library spells it (SCRAM-SHA-256 is ScramSha256), or null.</summary>
    public SaslMechanism? SaslMechanism { get; } =
        settings.SaslMechanism is { } mechanism ? Enum.Parse<SaslMechanism>(mechanism.Replace("-", "", StringComparison.Ordinal), ignoreCase: true) : null;

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

    public AdminClientConfig Admin(string name) => Common(new AdminClientConfig { ClientId = name });

    /// <summary>
    /// A consumer that commits only what it was told to (no auto-commit), notices a silo gone within seconds (a short
    /// session), sees a topic created after it subscribed within seconds (a short metadata refresh), and waits at most
    /// 50 ms for a fetch to fill: a broker that holds an empty fetch for the default 500 ms (librdkafka's mock cluster does,
    /// whatever arrives meanwhile) would add that to every answer; idle, it costs twenty small fetches a second.
    /// </summary>
    public ConsumerConfig Consumer(string name, string group, AutoOffsetReset start) => Common(new ConsumerConfig
    {
        ClientId = name,
        GroupId = group,
        AutoOffsetReset = start,
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        SessionTimeoutMs = 10_000,
        HeartbeatIntervalMs = 1_000,
        TopicMetadataRefreshIntervalMs = 2_000,
        AllowAutoCreateTopics = true,
        FetchWaitMaxMs = 50,
    });

    T Common<T>(T config) where T : ClientConfig
    {
        config.BootstrapServers = Settings.BootstrapServers;
        // Notice a dead broker within seconds, and keep trying to reach it in the background.
        config.SocketTimeoutMs = 10_000;
        config.ReconnectBackoffMaxMs = 5_000;
        if (SecurityProtocol is { } protocol) config.SecurityProtocol = protocol;
        if (SaslMechanism is { } mechanism) config.SaslMechanism = mechanism;
        if (Settings.SaslUsername is { } user) config.SaslUsername = user;
        if (Settings.SaslPassword is { } password) config.SaslPassword = password;
        return config;
    }
}
