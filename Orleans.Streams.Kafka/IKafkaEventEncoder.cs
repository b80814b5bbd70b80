using Confluent.Kafka;

namespace OmniBridge.Orleans.Streams.Kafka;

/// <summary>
/// Writes a topic's messages, for a provider whose <see cref="KafkaStreamOptions.Direction"/> lets
/// producers write: turns the events one <c>OnNextAsync</c> (or <c>OnNextBatchAsync</c>) hands
/// over into the one Kafka message that carries them. The topic's <see cref="IKafkaEventCodec"/>
/// must read that message back into the same stream and events.
/// </summary>
public interface IKafkaEventEncoder
{
    /// <summary>The message carrying <paramref name="events"/> of <paramref name="stream"/>: its key, value and headers.</summary>
    /// <remarks>The provider chooses the partition (from the stream id), so every event of a stream stays in order on one partition.</remarks>
    Message<byte[], byte[]> Encode(StreamId stream, IReadOnlyList<object> events);
}
