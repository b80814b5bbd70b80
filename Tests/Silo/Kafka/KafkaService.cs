using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Grains.Events;
using OmniBridge.Silo.Kafka;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Kafka;

/// <summary>
/// A silo on PostgreSQL with KAFKA_BOOTSTRAP_SERVERS pointing at a mock broker, envelopes signed,
/// and reducers that never sweep the store: every count they make came through Kafka.
/// </summary>
public class KafkaService : IAsyncLifetime
{
    public const string SigningKey = "a-test-signing-key-of-some-length";
    public const string Environment = "test";

    public KafkaMock Kafka { get; } = new();
    public PostgresDatabase Database { get; } = new();
    public EventTopics Topics { get; } = new(Environment);
    public SiloApp Silo { get; private set; } = null!;
    public HttpClient Http => Silo.Http;

    /// <summary>The settings of a silo of this service; <paramref name="bootstrap"/> replaces the broker's address.</summary>
    public Dictionary<string, string> Settings(string? bootstrap = null) => new(Database.Settings)
    {
        ["KAFKA_BOOTSTRAP_SERVERS"] = bootstrap ?? Kafka.BootstrapServers,
        ["ENVIRONMENT"] = Environment,
        ["EVENT_SIGNING_KEY"] = SigningKey,
        ["CLUSTER_ID"] = clusterId,
    };

    readonly string clusterId = "kafka-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Starts another silo of this service (same database, same broker), with <paramref name="settings"/> on top of the service's.</summary>
    public async Task<SiloApp> StartSiloAsync(string? bootstrap = null, Action<IServiceCollection>? configure = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var all = Settings(bootstrap);
        foreach (var (name, value) in settings ?? new Dictionary<string, string>()) all[name] = value;
        var silo = new ConfiguredSilo(all, services =>
        {
            StreamsOnly(services);
            configure?.Invoke(services);
        });
        await silo.InitializeAsync();
        return silo;
    }

    protected virtual bool StartsSilo => true;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        if (StartsSilo) Silo = await StartSiloAsync();
    }

    public async Task DisposeAsync()
    {
        if (Silo is not null) await Silo.DisposeAsync();
        await Database.DisposeAsync();
        Kafka.Dispose();
    }

    public static void StreamsOnly(IServiceCollection services)
    {
        services.WithoutReducerSweep();
        // The mock broker has no controller, so it cannot create topics: do not wait long for it.
        services.Configure<TopicOptions>(o => o.CreateTimeout = TimeSpan.FromSeconds(1));
    }

    /// <summary>The envelopes on <paramref name="topic"/> about namespace <paramref name="ns"/>.</summary>
    public List<(ConsumeResult<string, string> Message, JsonElement Envelope)> Envelopes(string topic, string ns, int expected, TimeSpan? linger = null) =>
        [.. Kafka.ReadAll(topic, expected, m => NamespaceOf(m.Message.Value) == ns, TimeSpan.FromSeconds(30), linger)
            .Select(m => (m, JsonDocument.Parse(m.Message.Value).RootElement))];

    static string? NamespaceOf(string envelope)
    {
        try
        {
            using var document = JsonDocument.Parse(envelope);
            return document.RootElement.GetProperty("metadata").GetProperty("namespace").GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}

/// <summary>The same service, without a silo of its own: tests start theirs.</summary>
public sealed class KafkaServiceWithoutSilo : KafkaService
{
    protected override bool StartsSilo => false;
}
