using Confluent.Kafka;

namespace OmniBridge.Orleans.Streams.Kafka;

/// <summary>
/// Reads a topic's messages: turns one Kafka message into the Orleans stream it belongs to and the
/// events it carries. One codec per topic; a provider may read several topics, each with its own.
/// </summary>
/// <remarks>
/// Called on the pulling agent of the message's partition, one message at a time: keep it quick
/// and free of I/O. The events travel to their consumers through the Orleans serializer, so their
/// types must be serializable (<c>[GenerateSerializer]</c>).
/// </remarks>
public interface IKafkaEventCodec
{
    /// <summary>The stream <paramref name="message"/> belongs to and its events, in the order consumers get them.</summary>
    /// <exception cref="FormatException">
    /// The message cannot be read: a poison message. It goes to the topic's dead-letter topic and
    /// the partition moves on. Any other exception is treated the same way.
    /// </exception>
    (StreamId Stream, List<object> Events) Decode(Message<byte[], byte[]> message);
}
