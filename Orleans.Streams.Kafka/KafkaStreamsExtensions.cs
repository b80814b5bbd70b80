using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OmniBridge.Orleans.Streams.Kafka;

/// <summary>Adds a Kafka persistent stream provider to a silo or a client.</summary>
public static class KafkaStreamsExtensions
{
    /// <summary>
    /// Adds the persistent stream provider <paramref name="name"/> on Kafka: it reads the topics of
    /// <see cref="KafkaStreamOptions.Topics"/> through their codecs and, when its direction says so,
    /// produces to them. <paramref name="configureStreams"/> sets what every persistent stream
    /// provider has (pub-sub type, pulling agent, balancer, cache).
    /// </summary>
    public static ISiloBuilder AddKafkaStreams(this ISiloBuilder silo, string name, Action<KafkaStreamOptions> configureOptions,
        Action<ISiloPersistentStreamConfigurator>? configureStreams = null)
    {
        ArgumentNullException.ThrowIfNull(configureOptions);
        return silo.AddKafkaStreams(name, (OptionsBuilder<KafkaStreamOptions> options) => options.Configure(configureOptions), configureStreams);
    }

    /// <summary>
    /// The same, for options that need services (a codec from the container, settings bound from
    /// configuration): <c>options => options.Configure&lt;MyCodec&gt;((o, codec) => o.AddTopic("orders", 4, codec))</c>.
    /// </summary>
    public static ISiloBuilder AddKafkaStreams(this ISiloBuilder silo, string name, Action<OptionsBuilder<KafkaStreamOptions>> configureOptions,
        Action<ISiloPersistentStreamConfigurator>? configureStreams = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        AddServices(silo.Services, name, configureOptions);
        return silo.AddPersistentStreams(name, KafkaQueueAdapterFactory.Create, streams => configureStreams?.Invoke(streams));
    }

    /// <summary>
    /// Adds the provider <paramref name="name"/> to a client, with the silos' options: a client
    /// never reads (it runs no pulling agents) but produces through a provider that writes, and
    /// subscribes explicitly like any stream client.
    /// </summary>
    public static IClientBuilder AddKafkaStreams(this IClientBuilder client, string name, Action<KafkaStreamOptions> configureOptions,
        Action<IClusterClientPersistentStreamConfigurator>? configureStreams = null)
    {
        ArgumentNullException.ThrowIfNull(configureOptions);
        return client.AddKafkaStreams(name, (OptionsBuilder<KafkaStreamOptions> options) => options.Configure(configureOptions), configureStreams);
    }

    /// <summary>The same, for options that need services.</summary>
    public static IClientBuilder AddKafkaStreams(this IClientBuilder client, string name, Action<OptionsBuilder<KafkaStreamOptions>> configureOptions,
        Action<IClusterClientPersistentStreamConfigurator>? configureStreams = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        AddServices(client.Services, name, configureOptions);
        return client.AddPersistentStreams(name, KafkaQueueAdapterFactory.Create, streams => configureStreams?.Invoke(streams));
    }

    static void AddServices(IServiceCollection services, string name, Action<OptionsBuilder<KafkaStreamOptions>> configureOptions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configureOptions);
        configureOptions(services.AddOptions<KafkaStreamOptions>(name));
        services.AddTransient(sp => KafkaStreamOptionsValidator.Create(sp, name));
        // Held by the container, which disposes it (flushing its producer) once the silo has stopped.
        services.AddKeyedSingleton(name, (sp, _) => KafkaQueueAdapterFactory.Build(sp, name));
    }
}
