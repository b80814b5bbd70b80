using Confluent.Kafka;

namespace OmniBridge.Silo.Kafka;

/// <summary>
/// The silo's one producer (idempotent, acks=all), shared by the outbox relay and the dead-letter
/// writer. librdkafka producers are thread-safe and batch on their own; one per process is best.
/// An idempotent producer can fail for good (a fenced producer id, an authorization change): then
/// it is replaced by a new one at the next send, instead of failing every send until a restart.
/// </summary>
public sealed partial class KafkaProducer(KafkaClients clients, ILogger<KafkaProducer> log) : IDisposable
{
    readonly Lock gate = new();
    IProducer<byte[], byte[]>? producer;
    volatile bool broken;

    public Task<DeliveryResult<byte[], byte[]>> ProduceAsync(string topic, Message<byte[], byte[]> message, CancellationToken cancellationToken = default) =>
        Current().ProduceAsync(topic, message, cancellationToken);

    /// <summary>
    /// Hands <paramref name="message"/> to the producer's queue and returns at once; <paramref name="delivered"/>
    /// runs on the producer's delivery thread when the broker has acknowledged or refused it.
    /// Throws when the message cannot even be queued (too large, the queue full).
    /// </summary>
    public void Produce(string topic, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> delivered) =>
        Current().Produce(topic, message, delivered);

    IProducer<byte[], byte[]> Current()
    {
        lock (gate)
        {
            if (broken && producer is not null)
            {
                LogReplaced(log);
                producer.Dispose();
                producer = null;
            }
            broken = false;
            return producer ??= new ProducerBuilder<byte[], byte[]>(clients.Producer("omnibridge-silo"))
                // Transport errors (a broker away) are the relay's to report, once per failed batch.
                .SetErrorHandler((_, error) =>
                {
                    if (!error.IsFatal) return;
                    LogClientError(log, error.Code, error.Reason);
                    broken = true;
                })
                .SetLogHandler((_, _) => { })
                .Build();
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (producer is null) return;
            // Whatever is still queued gets a few seconds; the outbox re-sends anything not confirmed.
            producer.Flush(TimeSpan.FromSeconds(5));
            producer.Dispose();
            producer = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka producer failed for good: {Code} {Reason}; a new one takes over at the next send")]
    static partial void LogClientError(ILogger logger, Confluent.Kafka.ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka producer replaced after a fatal error")]
    static partial void LogReplaced(ILogger logger);
}
