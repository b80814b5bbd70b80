using System.Globalization;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace OmniBridge.Silo.Kafka.Streams;

/// <summary>
/// Makes a Kafka stream provider's parts, in the shape Orleans' own providers have: the adapter,
/// one queue per partition (mapped on a hash ring, identical on every silo), a bounded cache, and
/// a failure handler that logs. No broker I/O happens here: a silo starts with Kafka down.
/// </summary>
public sealed partial class KafkaQueueAdapterFactory : IQueueAdapterFactory
{
    readonly string name;
    readonly KafkaStreamOptions options;
    readonly KafkaClients clients;
    readonly IKafkaEventCodec codec;
    readonly DeadLetters deadLetters;
    readonly ILoggerFactory loggers;
    readonly HashRingBasedPartitionedStreamQueueMapper mapper;
    readonly SimpleQueueAdapterCache cache;

    public KafkaQueueAdapterFactory(string name, KafkaStreamOptions options, SimpleQueueCacheOptions cacheOptions, KafkaClients clients,
        IKafkaEventCodec codec, DeadLetters deadLetters, ILoggerFactory loggers)
    {
        (this.name, this.options, this.clients, this.codec, this.deadLetters, this.loggers) = (name, options, clients, codec, deadLetters, loggers);
        mapper = new HashRingBasedPartitionedStreamQueueMapper(
            [.. Enumerable.Range(0, options.Partitions).Select(p => p.ToString(CultureInfo.InvariantCulture))], name);
        cache = new SimpleQueueAdapterCache(cacheOptions, name, loggers);
    }

    /// <summary>The factory Orleans calls for provider <paramref name="name"/> (its codec is a keyed service of that name).</summary>
    public static KafkaQueueAdapterFactory Create(IServiceProvider services, string name) => new(
        name,
        services.GetOptionsByName<KafkaStreamOptions>(name),
        services.GetOptionsByName<SimpleQueueCacheOptions>(name),
        services.GetRequiredService<KafkaClients>(),
        services.GetRequiredKeyedService<IKafkaEventCodec>(name),
        services.GetRequiredService<DeadLetters>(),
        services.GetRequiredService<ILoggerFactory>());

    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) =>
        Task.FromResult<IQueueAdapter>(new KafkaQueueAdapter(name, mapper, clients, codec, deadLetters, options, loggers));

    public IQueueAdapterCache GetQueueAdapterCache() => cache;

    public IStreamQueueMapper GetStreamQueueMapper() => mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new LoggedDeliveryFailures(loggers.CreateLogger<KafkaQueueAdapterFactory>()));

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
