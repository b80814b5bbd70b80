using System.Net;
using OmniBridge.Client.Configuration;

namespace OmniBridge.Silo.Configuration;

/// <summary>The silo's own settings (docs/architecture.md, "Configuration"): cluster identity, ports, logging.</summary>
public sealed record class SiloSettings
{
    public string ClusterId { get; init; } = "omnibridge";
    public string ServiceId { get; init; } = "omnibridge-orleans";
    public int SiloPort { get; init; } = 11111;
    public int GatewayPort { get; init; } = 30000;

    /// <summary>The address other silos and clients use to reach this one; on Kubernetes, POD_IP.</summary>
    public IPAddress? AdvertisedIp { get; init; }

    /// <summary>The silo's name; on Kubernetes, POD_NAME.</summary>
    public string? SiloName { get; init; }

    /// <summary>
    /// Grain addresses each silo remembers (DIRECTORY_CACHE_SIZE): Orleans' default of a million sizes the cache's table
    /// up front, about 18 MiB of every silo's memory; a miss costs one directory lookup.
    /// </summary>
    public int DirectoryCacheSize { get; init; } = 100_000;

    /// <summary>The topic prefix for events (dev, staging, prod, ...).</summary>
    public string Environment { get; init; } = "dev";


    /// <summary>PostgreSQL when POSTGRES_HOST is set; otherwise the embedded default keeps everything in memory.</summary>
    public PostgresSettings? Postgres { get; init; }

    /// <summary>Kafka when KAFKA_BOOTSTRAP_SERVERS is set (with PostgreSQL); otherwise events stay in memory streams.</summary>
    public KafkaSettings? Kafka { get; init; }

    /// <summary>The HMAC-SHA256 key that signs event payloads (EVENT_SIGNING_KEY, UTF-8); unsigned when absent.</summary>
    public byte[]? EventSigningKey { get; init; }

    /// <summary>Code generation: template cache, Python, the optional language model.</summary>
    public CodegenSettings Codegen { get; init; } = new();

    /// <summary>The model of workflows' intelligence step, if any.</summary>
    public WorkflowIntelligenceSettings WorkflowIntelligence { get; init; } = new();

    /// <summary>The codegen event protocol's dead-letter monitor (used with Kafka; checked always).</summary>
    public CodegenEventSettings CodegenEvents { get; init; } = new();

    /// <summary>The versions the grains write into stamps.</summary>
    public StampingSettings Stamping { get; init; } = new();

    /// <summary>The transparency log: on or off, its key and timing.</summary>
    public TransparencySettings Transparency { get; init; } = new();

    public static SiloSettings From(IConfiguration config)
    {
        var defaults = new SiloSettings();
        var cluster = ClusterSettings.From(config);
        var postgres = cluster.Postgres;
        return new SiloSettings
        {
            ClusterId = cluster.ClusterId,
            ServiceId = cluster.ServiceId,
            SiloPort = Setting.Port(config, "SILO_PORT", defaults.SiloPort),
            GatewayPort = Setting.Port(config, "GATEWAY_PORT", defaults.GatewayPort),
            AdvertisedIp = Address(config, "ADVERTISED_IP") ?? Address(config, "POD_IP"),
            SiloName = Setting.Text(config, "POD_NAME"),
            DirectoryCacheSize = (int)Setting.WholeNumber(config, "DIRECTORY_CACHE_SIZE", defaults.DirectoryCacheSize, 0, 10_000_000),
            Environment = Setting.Checked(config, "ENVIRONMENT", defaults.Environment, ClusterSettings.IsIdentifier, "expected letters, digits, '.', '_' or '-' (it prefixes topic names)"),
            Postgres = postgres,
            Kafka = KafkaSettings.From(config, hasPostgres: postgres is not null),
            EventSigningKey = config["EVENT_SIGNING_KEY"] is { Length: > 0 } key ? SigningKey(key) : null,
            Codegen = CodegenSettings.From(config),
            WorkflowIntelligence = WorkflowIntelligenceSettings.From(config),
            CodegenEvents = CodegenEventSettings.From(config),
            Stamping = StampingSettings.From(config),
            Transparency = TransparencySettings.From(config),
        };
    }

    static byte[] SigningKey(string key) =>
        key.Length >= 16 ? System.Text.Encoding.UTF8.GetBytes(key)
            : throw new InvalidSettingException("EVENT_SIGNING_KEY", "(hidden)", "expected at least 16 characters");

    static IPAddress? Address(IConfiguration config, string name)
    {
        if (Setting.Text(config, name) is not { } raw) return null;
        return IPAddress.TryParse(raw, out var address) ? address : throw new InvalidSettingException(name, raw, "expected an IPv4 or IPv6 address");
    }
}
