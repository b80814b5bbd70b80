using Orleans.Streams;

namespace OmniBridge.Silo.Kafka.Streams;

public static class KafkaStreamsExtensions
{
    /// <summary>
    /// Adds a persistent stream provider <paramref name="name"/> reading a Kafka topic through the
    /// <see cref="IKafkaEventCodec"/> registered as a keyed service of that name. Needs
    /// <see cref="KafkaClients"/> and <see cref="DeadLetters"/> in the services.
    /// </summary>
    public static ISiloBuilder AddKafkaStreams(this ISiloBuilder silo, string name, Action<ISiloPersistentStreamConfigurator>? configure = null) =>
        silo.AddPersistentStreams(name, KafkaQueueAdapterFactory.Create, streams =>
        {
            streams.ConfigureDelegate(services => services.AddTransient(sp => KafkaStreamOptionsValidator.Create(sp, name)));
            configure?.Invoke(streams);
        });
}
