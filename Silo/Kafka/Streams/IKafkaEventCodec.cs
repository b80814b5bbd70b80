using Confluent.Kafka;
using Orleans.Runtime;

namespace OmniBridge.Silo.Kafka.Streams;

/// <summary>Turns a topic's Kafka message into the stream it belongs to and the events it carries.</summary>
public interface IKafkaEventCodec
{
    /// <summary>The topic this codec reads.</summary>
    string Topic { get; }

    /// <exception cref="FormatException">The message cannot be read (a poison message: it goes to the dead-letter topic).</exception>
    (StreamId Stream, List<object> Events) Decode(Message<byte[], byte[]> message);
}
