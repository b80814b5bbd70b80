using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces.Reducers;
using OmniBridge.Orleans.Streams.Kafka;

namespace OmniBridge.Silo.Kafka;

/// <summary>
/// Reads stamp-created envelopes (docs/protocol.md, "Events") into <see cref="StampCreated"/> events on the stream of
/// the record's namespace, which that namespace's reducer consumes. With a signing key configured,
/// an envelope whose payload signature does not match is refused like any unreadable message.
/// </summary>
/// <remarks>The codec of the stamp-created topic in the service's Kafka stream provider (see <see cref="KafkaComposition"/>).</remarks>
public sealed class StampCreatedCodec(IOptions<EventOptions> eventOptions) : IKafkaEventCodec
{
    readonly byte[]? signingKey = eventOptions.Value.SigningKey;

    /// <summary>The topic it reads: the environment's stamp-created topic (docs/protocol.md, "Events").</summary>
    public string Topic { get; } = new EventTopics(eventOptions.Value.Environment).StampCreated;

    public (StreamId Stream, List<object> Events) Decode(Message<byte[], byte[]> message)
    {
        try
        {
            return Read(message.Value);
        }
        catch (Exception e) when (e is not (FormatException or OutOfMemoryException))
        {
            // Whatever else a hostile message makes the parser throw (a duplicate key, say) is poison too.
            throw new FormatException($"the message cannot be read: {e.Message}", e);
        }
    }

    (StreamId Stream, List<object> Events) Read(byte[] value)
    {
        // Read where it lies (a document over the message's bytes), not as a tree of nodes: this
        // runs for every event the reducers consume.
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(value, Strict);
        }
        catch (JsonException e)
        {
            // Only a name twice in one object fails the strict parse and not the lenient one: JSON
            // in which which value counts would be a guess.
            throw new FormatException(ParsesLeniently(value) ? $"the message cannot be read: {e.Message}" : $"the message is not JSON: {e.Message}", e);
        }
        using (document)
        {
            var envelope = document.RootElement;
            if (envelope.ValueKind != JsonValueKind.Object) throw new FormatException("the message is not an OnexEnvelopeV1 object");
            if (Text(envelope, "event_type") != EventEnvelopes.StampCreatedType) throw new FormatException($"event_type is not {EventEnvelopes.StampCreatedType}");
            if (!envelope.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object) throw new FormatException("the envelope has no payload object");
            if (signingKey is not null && !EventEnvelopes.Verify(signingKey, JsonNode.Parse(payload.GetRawText())!,
                    envelope.TryGetProperty("security_context", out var security) && security.ValueKind == JsonValueKind.Object ? Text(security, "hmac_signature") : null))
                throw new FormatException("the payload's hmac_signature does not match the signing key");

            var record = StampRecordJson.Read(payload);
            return (StreamId.Create(StampStreams.StampCreated, record.Namespace), [new StampCreated { StampId = record.StampId }]);
        }
    }

    static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    static bool ParsesLeniently(byte[] value)
    {
        try
        {
            using var _ = JsonDocument.Parse(value);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    static string? Text(JsonElement fields, string name) =>
        fields.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
