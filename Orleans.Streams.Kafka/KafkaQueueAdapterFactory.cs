using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace OmniBridge.Orleans.Streams.Kafka;

/// <summary>
/// Makes a Kafka stream provider's parts, in the shape Orleans' own providers have: the adapter,
/// one queue per (topic, partition) mapped on a hash ring (identical on every silo and client), a
/// bounded cache, and a failure handler that logs. No broker I/O happens here: a silo starts with
/// Kafka down, and its receivers keep trying until a broker answers.
/// </summary>
public sealed partial class KafkaQueueAdapterFactory : IQueueAdapterFactory, IDisposable
{
    readonly ILoggerFactory loggers;
    readonly KafkaQueueMap queues;
    readonly SimpleQueueAdapterCache cache;
    readonly KafkaStreamProducer producer;
    readonly KafkaQueueAdapter adapter;

    public KafkaQueueAdapterFactory(string name, KafkaStreamOptions options, SimpleQueueCacheOptions cacheOptions, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.loggers = loggers;
        queues = new KafkaQueueMap(name, options.Topics);
        cache = new SimpleQueueAdapterCache(cacheOptions, name, loggers);
        producer = new KafkaStreamProducer(options, $"{options.ClientId ?? name}-producer", loggers.CreateLogger<KafkaQueueAdapterFactory>());
        adapter = new KafkaQueueAdapter(name, options, queues, producer, loggers);
    }

    /// <summary>
    /// The factory Orleans calls for provider <paramref name="name"/>: the one
    /// <see cref="KafkaStreamsExtensions.AddKafkaStreams(ISiloBuilder, string, Action{KafkaStreamOptions}, Action{ISiloPersistentStreamConfigurator}?)"/>
    /// registered (so that the host disposes it), else one made from the provider's named options.
    /// </summary>
    public static KafkaQueueAdapterFactory Create(IServiceProvider services, string name) =>
        services.GetKeyedService<KafkaQueueAdapterFactory>(name) ?? Build(services, name);

    internal static KafkaQueueAdapterFactory Build(IServiceProvider services, string name) => new(
        name,
        services.GetOptionsByName<KafkaStreamOptions>(name),
        services.GetOptionsByName<SimpleQueueCacheOptions>(name),
        services.GetRequiredService<ILoggerFactory>());

    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) => Task.FromResult<IQueueAdapter>(adapter);

    public IQueueAdapterCache GetQueueAdapterCache() => cache;

    public IStreamQueueMapper GetStreamQueueMapper() => queues.Mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new LoggedDeliveryFailures(loggers.CreateLogger<KafkaQueueAdapterFactory>()));

    /// <summary>Flushes what the provider's producer still holds (dead letters, events), for a few seconds at most.</summary>
    public void Dispose() => producer.Dispose();

    /// <summary>Says so in the log; the receiver dead-letters the event when the cache lets it go.</summary>
    sealed partial class LoggedDeliveryFailures(ILogger log) : IStreamFailureHandler
    {
        public bool ShouldFaultSubsriptionOnError => false;

        public Task OnDeliveryFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
        {
            LogDeliveryFailed(log, streamProviderName, streamIdentity, sequenceToken);
            return Task.CompletedTask;
        }

        public Task OnSubscriptionFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
        {
            LogSubscriptionFailed(log, streamProviderName, streamIdentity);
            return Task.CompletedTask;
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider}: delivery on {Stream} failed for good at {Token}")]
        static partial void LogDeliveryFailed(ILogger logger, string provider, StreamId stream, StreamSequenceToken? token);

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider}: subscription on {Stream} failed")]
        static partial void LogSubscriptionFailed(ILogger logger, string provider, StreamId stream);
    }
}
