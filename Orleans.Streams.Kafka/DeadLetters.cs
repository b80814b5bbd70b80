using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace OmniBridge.Orleans.Streams.Kafka;

/// <summary>
/// The headers a dead letter carries besides the original message's own: why it was set aside and
/// where it came from. Values are UTF-8 text.
/// </summary>
public static class DeadLetterHeaders
{
    /// <summary>Why the message was set aside: the codec's error, or that no consumer processed it in time.</summary>
    public const string Error = "error";

    public const string SourceTopic = "source_topic";
    public const string SourcePartition = "source_partition";

    /// <summary>The message's offset in its source partition (decimal).</summary>
    public const string SourceOffset = "source_offset";
}

/// <summary>
/// Messages that cannot be processed go, unchanged (key, value, headers), to their topic's
/// dead-letter topic, with <see cref="DeadLetterHeaders"/> added.
/// </summary>
internal sealed class DeadLetters(KafkaStreamProducer producer)
{
    public async Task SendAsync(string deadLetterTopic, TopicPartitionOffset source, Message<byte[], byte[]> message, string error, CancellationToken cancellationToken = default)
    {
        var headers = new Headers();
        foreach (var header in message.Headers ?? []) headers.Add(header.Key, header.GetValueBytes());
        headers.Add(DeadLetterHeaders.Error, Encoding.UTF8.GetBytes(error));
        headers.Add(DeadLetterHeaders.SourceTopic, Encoding.UTF8.GetBytes(source.Topic));
        headers.Add(DeadLetterHeaders.SourcePartition, Encoding.UTF8.GetBytes(source.Partition.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(DeadLetterHeaders.SourceOffset, Encoding.UTF8.GetBytes(source.Offset.Value.ToString(CultureInfo.InvariantCulture)));
        await producer.ProduceAsync(deadLetterTopic, new Message<byte[], byte[]> { Key = message.Key, Value = message.Value, Headers = headers }, cancellationToken);
    }
}
