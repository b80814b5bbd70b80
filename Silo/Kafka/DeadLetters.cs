using System.Text;
using Confluent.Kafka;
using OmniBridge.Grains.Events;

namespace OmniBridge.Silo.Kafka;

/// <summary>
/// Messages that cannot be processed go, unchanged, to their topic's <c>.dlq</c> twin (SPEC §7),
/// with why in an <c>error</c> header and where they came from in <c>source_topic</c>,
/// <c>source_partition</c> and <c>source_offset</c> headers.
/// </summary>
public sealed class DeadLetters(KafkaProducer producer)
{
    public const string ErrorHeader = "error";

    public async Task SendAsync(TopicPartitionOffset source, Message<byte[], byte[]> message, string error, CancellationToken cancellationToken = default)
    {
        var headers = new Headers();
        foreach (var header in message.Headers ?? []) headers.Add(header.Key, header.GetValueBytes());
        headers.Add(ErrorHeader, Encoding.UTF8.GetBytes(error));
        headers.Add("source_topic", Encoding.UTF8.GetBytes(source.Topic));
        headers.Add("source_partition", Encoding.UTF8.GetBytes(source.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        headers.Add("source_offset", Encoding.UTF8.GetBytes(source.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await producer.ProduceAsync(EventTopics.DeadLetter(source.Topic), new Message<byte[], byte[]> { Key = message.Key, Value = message.Value, Headers = headers }, cancellationToken);
    }
}
