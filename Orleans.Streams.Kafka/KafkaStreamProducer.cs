using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace OmniBridge.Orleans.Streams.Kafka;

/// <summary>
/// A provider's one producer, for its dead letters and, when it writes, its events; built at the
/// first send (so no broker I/O happens before one is needed). librdkafka producers are thread-safe
/// and batch on their own. An idempotent producer can fail for good (a fenced producer id, an
/// authorization change): then it is replaced at the next send instead of failing every send.
/// </summary>
internal sealed partial class KafkaStreamProducer(KafkaStreamOptions options, string clientId, ILogger log) : IDisposable
{
    readonly Lock gate = new();
    IProducer<byte[], byte[]>? producer;
    volatile bool broken;
    bool disposed;

    public Task<DeliveryResult<byte[], byte[]>> ProduceAsync(TopicPartition partition, Message<byte[], byte[]> message, CancellationToken cancellationToken = default) =>
        Current().ProduceAsync(partition, message, cancellationToken);

    public Task<DeliveryResult<byte[], byte[]>> ProduceAsync(string topic, Message<byte[], byte[]> message, CancellationToken cancellationToken = default) =>
        Current().ProduceAsync(topic, message, cancellationToken);

    IProducer<byte[], byte[]> Current()
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (broken && producer is not null)
            {
                LogReplaced(log, clientId);
                producer.Dispose();
                producer = null;
            }
            broken = false;
            return producer ??= new ProducerBuilder<byte[], byte[]>(KafkaClientConfigs.Producer(options, clientId))
                // Transport errors (a broker away) surface as failed sends, where the caller decides.
                .SetErrorHandler((_, error) =>
                {
                    if (!error.IsFatal) return;
                    LogClientError(log, clientId, error.Code, error.Reason);
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
            if (disposed) return;
            disposed = true;
            if (producer is null) return;
            // Whatever is still queued gets a few seconds.
            producer.Flush(TimeSpan.FromSeconds(5));
            producer.Dispose();
            producer = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka producer {ClientId} failed for good: {Code} {Reason}; a new one takes over at the next send")]
    static partial void LogClientError(ILogger logger, string clientId, Confluent.Kafka.ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka producer {ClientId} replaced after a fatal error")]
    static partial void LogReplaced(ILogger logger, string clientId);
}
