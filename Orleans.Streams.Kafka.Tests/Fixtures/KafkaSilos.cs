using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using Orleans.TestingHost;

namespace OmniBridge.Orleans.Streams.Kafka.Tests.Fixtures;

/// <summary>
/// An in-process Orleans cluster whose stream provider <see cref="TestStreams.Provider"/> is the
/// Kafka library, on the test's mock broker, with implicit subscriptions only (as an application
/// that reads topics would have it). Its consumer grains report to the test's <see cref="Deliveries"/>.
/// </summary>
public sealed class KafkaSilos : IAsyncDisposable
{
    readonly InProcessTestCluster cluster;
    bool stopped;

    KafkaSilos(InProcessTestCluster cluster) => this.cluster = cluster;

    public IClusterClient Client => cluster.Client;

    /// <summary>
    /// Starts <paramref name="silos"/> silos reading with <paramref name="group"/>; <paramref name="configure"/> adds
    /// the topics (and anything else); <paramref name="streams"/> tunes the pulling agents. With
    /// <paramref name="clientToo"/>, the cluster's client has the provider as well, with the same options.
    /// </summary>
    public static async Task<KafkaSilos> StartAsync(MockKafka kafka, Deliveries deliveries, string group, Action<KafkaStreamOptions> configure,
        short silos = 1, Action<ISiloPersistentStreamConfigurator>? streams = null, string? bootstrapServers = null, bool clientToo = false)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(deliveries);
            silo.AddKafkaStreams(TestStreams.Provider, options =>
            {
                options.BootstrapServers = bootstrapServers ?? kafka.BootstrapServers;
                options.ConsumerGroup = group;
                configure(options);
            }, configurator =>
            {
                configurator.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
                streams?.Invoke(configurator);
            });
        });
        if (clientToo)
        {
            builder.ConfigureClient(client => client.AddKafkaStreams(TestStreams.Provider, options =>
            {
                options.BootstrapServers = bootstrapServers ?? kafka.BootstrapServers;
                options.ConsumerGroup = group;
                configure(options);
            }));
        }
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return new KafkaSilos(cluster);
    }

    /// <summary>Pulling agents that give a consumer <paramref name="time"/> to take an event before it is skipped.</summary>
    public static Action<ISiloPersistentStreamConfigurator> DeliveryTime(TimeSpan time) =>
        streams => streams.ConfigurePullingAgent(options => options.Configure(o => o.MaxEventDeliveryTime = time));

    /// <summary>Stops every silo gracefully: each receiver commits what was processed and closes.</summary>
    public async Task StopAsync()
    {
        if (stopped) return;
        stopped = true;
        await cluster.StopAllSilosAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await cluster.DisposeAsync();
    }
}
