using Confluent.Kafka;
using Microsoft.Extensions.Options;
using OmniBridge.Api.Health;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces.Reducers;
using OmniBridge.Orleans.Streams.Kafka;
using OmniBridge.Silo.Configuration;
using Orleans.Streams;

namespace OmniBridge.Silo.Kafka;

/// <summary>Kafka (docs/architecture.md, "Events"): the clients, the topics, the health probe, and the reducers' stream provider. The outbox that feeds it is wired by <see cref="Outbox.OutboxComposition"/>.</summary>
public static class KafkaComposition
{
    public static ISiloBuilder AddOmniBridgeKafka(this ISiloBuilder silo, KafkaSettings settings)
    {
        var services = silo.Services;
        services.AddSingleton(new KafkaClients(settings));
        services.AddSingleton<KafkaProducer>();
        services.AddOptions<TopicOptions>();
        services.AddSingleton<TopicProvisioner>();
        services.AddHostedService(sp => sp.GetRequiredService<TopicProvisioner>());
        services.AddSingleton<IDependencyProbe, KafkaProbe>();

        // The namespace reducers read stamp-created events from their topic, through the Kafka stream library.
        services.AddSingleton<StampCreatedCodec>();
        return silo.AddKafkaStreams(StampStreams.Provider,
            (OptionsBuilder<KafkaStreamOptions> options) => options.Configure<KafkaClients, StampCreatedCodec>(ReadStampCreated),
            streams => streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly));
    }

    /// <summary>
    /// The reducers' stream provider as the settings describe it: the brokers and their security,
    /// the silos' consumer group and start position, and the stamp-created topic with
    /// KAFKA_TOPIC_PARTITIONS partitions, whose poison goes to its <c>.dlq</c> twin (docs/protocol.md, "Events").
    /// It only reads: events reach Kafka through the transactional outbox, so none can bypass the
    /// database transaction of the change it reports.
    /// </summary>
    internal static void ReadStampCreated(KafkaStreamOptions options, KafkaClients clients, StampCreatedCodec codec)
    {
        var settings = clients.Settings;
        options.BootstrapServers = settings.BootstrapServers;
        options.SecurityProtocol = clients.SecurityProtocol;
        options.SaslMechanism = clients.SaslMechanism;
        options.SaslUsername = settings.SaslUsername;
        options.SaslPassword = settings.SaslPassword;
        options.ConsumerGroup = settings.ConsumerGroup;
        options.StartPosition = settings.StartPosition == KafkaStartPosition.Latest ? AutoOffsetReset.Latest : AutoOffsetReset.Earliest;
        options.ClientId = "omnibridge";
        options.Direction = StreamProviderDirection.ReadOnly;
        options.AddTopic(codec.Topic, settings.TopicPartitions, codec).DeadLetterTopic = EventTopics.DeadLetter(codec.Topic);
    }
}
