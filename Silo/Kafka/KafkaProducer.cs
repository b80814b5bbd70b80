using Confluent.Kafka;

namespace OmniBridge.Silo.Kafka;

/// <summary>
/// The silo's one producer (idempotent, acks=all), shared by the outbox relay and the dead-letter
/// writer. librdkafka producers are thread-safe and batch on their own; one per process is best.
/// </summary>
public sealed partial class KafkaProducer : IDisposable
{
    readonly Lazy<IProducer<byte[], byte[]>> producer;
    public KafkaProducer(KafkaClients clients, ILogger<KafkaProducer> log)
    {
        producer = new(() => new ProducerBuilder<byte[], byte[]>(clients.Producer("omnibridge-silo"))
            // Transport errors (a broker away) are the relay's to report, once per failed batch.
            .SetErrorHandler((_, error) =>
            {
                if (error.IsFatal) LogClientError(log, error.Code, error.Reason);
            })
            .SetLogHandler((_, message) => LogClient(log, message.Level, message.Message))
            .Build());
    }

    public Task<DeliveryResult<byte[], byte[]>> ProduceAsync(string topic, Message<byte[], byte[]> message, CancellationToken cancellationToken = default) =>
        producer.Value.ProduceAsync(topic, message, cancellationToken);

    public void Dispose()
    {
        if (!producer.IsValueCreated) return;
        // Whatever is still queued gets a few seconds; the outbox re-sends anything not confirmed.
        producer.Value.Flush(TimeSpan.FromSeconds(5));
        producer.Value.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka producer failed for good: {Code} {Reason}")]
    static partial void LogClientError(ILogger logger, Confluent.Kafka.ErrorCode code, string reason);

    static void LogClient(ILogger logger, SyslogLevel level, string message)
    {
        if (level <= SyslogLevel.Warning) LogClientMessage(logger, message);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka producer: {Message}")]
    static partial void LogClientMessage(ILogger logger, string message);
}
