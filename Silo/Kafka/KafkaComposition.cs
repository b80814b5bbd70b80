using Microsoft.Extensions.DependencyInjection.Extensions;
using OmniBridge.Api.Health;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces.Reducers;
using OmniBridge.Grains.Ports;
using OmniBridge.Silo.Configuration;
using OmniBridge.Silo.Kafka.Outbox;
using OmniBridge.Silo.Kafka.Streams;
using OmniBridge.Silo.Postgres;
using Orleans.Streams;

namespace OmniBridge.Silo.Kafka;

/// <summary>Events on Kafka (SPEC §7): the outbox and its relay, the topics, the health probe, and the reducers' stream provider.</summary>
public static class KafkaComposition
{
    /// <summary>Requires the PostgreSQL storage (the outbox lives there).</summary>
    public static ISiloBuilder AddOmniBridgeKafka(this ISiloBuilder silo, KafkaSettings settings)
    {
        var services = silo.Services;
        services.AddSingleton(new KafkaClients(settings));
        services.AddSingleton<KafkaProducer>();
        services.AddSingleton<DeadLetters>();
        services.AddOptions<TopicOptions>();
        services.AddSingleton<TopicProvisioner>();
        services.AddHostedService(sp => sp.GetRequiredService<TopicProvisioner>());
        services.AddSingleton<RelayStatus>();

        // Every event is written to the outbox with its effect; the relay publishes it.
        services.Configure<EventOptions>(o => o.Outbox = true);
        services.RemoveAll<IEventOutbox>();
        services.AddSingleton<IEventOutbox, PostgresEventOutbox>();
        services.AddSingleton<OutboxBacklog>();
        services.Configure<OutboxRelayOptions>(o => o.Retention = settings.OutboxRetention);
        services.AddHostedService<OutboxRelay>();
        services.AddSingleton<IDependencyProbe, KafkaProbe>();

        // The namespace reducers read stamp-created events from their topic.
        services.AddKeyedSingleton<IKafkaEventCodec, StampCreatedCodec>(StampStreams.Provider);
        return silo.AddKafkaStreams(StampStreams.Provider, streams =>
        {
            streams.Configure<KafkaStreamOptions>(options => options.Configure(o => o.Partitions = settings.TopicPartitions));
            streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
        });
    }
}
