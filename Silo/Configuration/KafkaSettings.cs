using OmniBridge.Client.Configuration;

namespace OmniBridge.Silo.Configuration;

/// <summary>
/// Where events go (docs/architecture.md, "Configuration", §7). Present when KAFKA_BOOTSTRAP_SERVERS is set; it needs PostgreSQL,
/// since every event waits in the outbox there until a broker has it.
/// </summary>
public sealed record class KafkaSettings
{
    public required string BootstrapServers { get; init; }

    /// <summary>Partitions of each topic the silo creates; the stamp-created topic must have exactly this many (KAFKA_TOPIC_PARTITIONS).</summary>
    public int TopicPartitions { get; init; } = 4;

    /// <summary>Where the reducers start reading a partition with no committed offset: earliest or latest (KAFKA_START_POSITION).</summary>
    public KafkaStartPosition StartPosition { get; init; } = KafkaStartPosition.Earliest;

    /// <summary>The group under which the silos commit what the reducers have consumed (KAFKA_CONSUMER_GROUP).</summary>
    public string ConsumerGroup { get; init; } = "omnibridge-reducers";

    /// <summary>How long the ids of written events and dead-lettered rows are kept (OUTBOX_RETENTION_HOURS).</summary>
    public TimeSpan OutboxRetention { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Times the broker may refuse an event for itself before it goes to its dead-letter topic (KAFKA_PERMANENT_FAILURE_ATTEMPTS).</summary>
    public int PermanentFailureAttempts { get; init; } = 5;

    /// <summary>security.protocol: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (KAFKA_SECURITY_PROTOCOL).</summary>
    public string? SecurityProtocol { get; init; }

    /// <summary>sasl.mechanism: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (KAFKA_SASL_MECHANISM), with KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD.</summary>
    public string? SaslMechanism { get; init; }
    public string? SaslUsername { get; init; }
    public string? SaslPassword { get; init; }

    static readonly string[] Protocols = ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"];
    static readonly string[] Mechanisms = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"];

    /// <summary>Null unless KAFKA_BOOTSTRAP_SERVERS is set; then every KAFKA_* value is checked.</summary>
    public static KafkaSettings? From(IConfiguration config, bool hasPostgres)
    {
        if (Setting.Text(config, "KAFKA_BOOTSTRAP_SERVERS") is not { } servers) return null;
        if (!hasPostgres)
        {
            throw new InvalidSettingException("KAFKA_BOOTSTRAP_SERVERS", servers,
                "it needs POSTGRES_HOST too: events wait in PostgreSQL's event_outbox until the broker has them");
        }
        if (servers.Split(',').Any(s => !IsHostPort(s.Trim())))
            throw new InvalidSettingException("KAFKA_BOOTSTRAP_SERVERS", servers, "expected host:port[,host:port...]");
        var defaults = new KafkaSettings { BootstrapServers = servers };
        return defaults with
        {
            TopicPartitions = (int)Setting.WholeNumber(config, "KAFKA_TOPIC_PARTITIONS", defaults.TopicPartitions, 1, 1024, "partitions"),
            StartPosition = Setting.Text(config, "KAFKA_START_POSITION")?.ToLowerInvariant() switch
            {
                null or "earliest" => KafkaStartPosition.Earliest,
                "latest" => KafkaStartPosition.Latest,
                var other => throw new InvalidSettingException("KAFKA_START_POSITION", other, "expected earliest or latest"),
            },
            ConsumerGroup = Setting.Checked(config, "KAFKA_CONSUMER_GROUP", defaults.ConsumerGroup,
                v => v.Length <= 249 && v.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'), "expected letters, digits, '.', '_' or '-'"),
            OutboxRetention = TimeSpan.FromHours(Setting.WholeNumber(config, "OUTBOX_RETENTION_HOURS", 24, 1, 24 * 366, "hours")),
            PermanentFailureAttempts = (int)Setting.WholeNumber(config, "KAFKA_PERMANENT_FAILURE_ATTEMPTS", defaults.PermanentFailureAttempts, 1, 1000, "attempts"),
            SecurityProtocol = OneOf(config, "KAFKA_SECURITY_PROTOCOL", Protocols),
            SaslMechanism = OneOf(config, "KAFKA_SASL_MECHANISM", Mechanisms),
            SaslUsername = Setting.Text(config, "KAFKA_SASL_USERNAME"),
            SaslPassword = config["KAFKA_SASL_PASSWORD"] is { Length: > 0 } password ? password : null,
        };
    }

    static string? OneOf(IConfiguration config, string name, string[] accepted)
    {
        if (Setting.Text(config, name) is not { } raw) return null;
        return accepted.FirstOrDefault(a => a.Equals(raw, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidSettingException(name, raw, "expected " + string.Join(", ", accepted));
    }

    static bool IsHostPort(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0 && int.TryParse(value[(colon + 1)..], out var port) && port is > 0 and <= 65535;
    }

    /// <summary>Every KAFKA_* value except the password, for logs.</summary>
    public override string ToString() =>
        $"{BootstrapServers} (partitions {TopicPartitions}, start {StartPosition}, group {ConsumerGroup}, security {SecurityProtocol ?? "PLAINTEXT"})";
}

public enum KafkaStartPosition { Earliest, Latest }
