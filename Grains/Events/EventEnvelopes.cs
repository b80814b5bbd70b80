using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Workflows;
using OmniBridge.Grains.Stamping;

namespace OmniBridge.Grains.Events;

/// <summary>
/// Builds OnexEnvelopeV1 events (docs/protocol.md, "Events"): the envelope fields, the topic, the partition key, the
/// payload, and the HMAC-SHA256 signature of the payload in canonical JSON when a key is configured.
/// Event ids are chosen so that the same fact always gets the same id: a stamp's creation is its
/// stamp id, a workflow's move is derived from the workflow and the move, so a retried write of
/// the same event meets itself in the outbox.
/// </summary>
public sealed class EventEnvelopes(IOptions<EventOptions> eventOptions, TimeProvider clock)
{
    public const string SourceService = "omnibridge-orleans";

    readonly EventOptions options = eventOptions.Value;

    public EventTopics Topics { get; } = new(eventOptions.Value.Environment);

    /// <summary>The event type of a stamp's created event (its id is the stamp's; only the insert that creates the stamp writes it).</summary>
    public const string StampCreatedType = "metadata-stamp-created";

    /// <remarks>
    /// Written straight from the record: one is made for every stamp when Kafka is on, and building
    /// it as a tree of JSON nodes cost 8 to 9 us. The tree is built only to sign the payload, since
    /// the signature is over its canonical form.
    /// </remarks>
    public OutboxEvent StampCreated(StampRecord record, string? correlationId) =>
        Envelope(record.StampId, Topics.StampCreated, StampCreatedType, record.FileHash, record.Namespace,
            writer => StampRecordJson.Write(writer, record), options.SigningKey is { } key ? Sign(key, StampRecordJson.From(record)) : null,
            correlationId ?? record.OpId.ToString("D"), record.OpId.ToString("D"));

    public OutboxEvent StampValidated(string fileHash, string namespaceName, bool isValid, int stampsFound, string? correlationId)
    {
        var at = clock.GetUtcNow().UtcDateTime;
        return Envelope(Guid.CreateVersion7(), Topics.StampValidated, "metadata-stamp-validated", fileHash, namespaceName, new JsonObject
        {
            ["file_hash"] = fileHash,
            ["namespace"] = namespaceName,
            ["is_valid"] = isValid,
            ["stamps_found"] = stampsFound,
            ["validated_at"] = StampTimestamp.Format(at),
        }, correlationId, null);
    }

    public OutboxEvent BatchProcessed(Guid batchId, string namespaceName, int total, int successful, double processingTimeMs, string? correlationId) =>
        Envelope(NameBased($"batch-processed:{batchId:D}"), Topics.BatchProcessed, "metadata-batch-processed", batchId.ToString("D"), namespaceName, new JsonObject
        {
            ["batch_id"] = batchId.ToString("D"),
            ["namespace"] = namespaceName,
            ["total_items"] = total,
            ["successful_items"] = successful,
            ["failed_items"] = total - successful,
            ["processing_time_ms"] = processingTimeMs,
        }, correlationId, batchId.ToString("D"));

    /// <summary>Every move of a workflow, and for a final one, its completed or failed event too.</summary>
    public IEnumerable<OutboxEvent> WorkflowMoves(WorkflowView workflow)
    {
        foreach (var move in workflow.History)
        {
            JsonObject Payload() => new()
            {
                ["workflow_id"] = workflow.WorkflowId.ToString("D"),
                ["namespace"] = workflow.Namespace,
                ["from_state"] = move.From.Wire(),
                ["to_state"] = move.To.Wire(),
                ["at"] = StampTimestamp.Format(move.At),
            };
            var id = workflow.WorkflowId.ToString("D");
            yield return Envelope(NameBased($"workflow-transition:{id}:{move.From.Wire()}:{move.To.Wire()}"), Topics.WorkflowTransition,
                "workflow-state-transition", id, workflow.Namespace, Payload(), id, id);
            if (move.To is WorkflowPhase.Completed)
            {
                var payload = Payload();
                payload["item_count"] = workflow.ItemCount;
                yield return Envelope(NameBased($"workflow-completed:{id}"), Topics.WorkflowCompleted, "stamp-workflow-completed", id, workflow.Namespace, payload, id, id);
            }
            else if (move.To is WorkflowPhase.Failed)
            {
                var payload = Payload();
                payload["error_code"] = workflow.ErrorCode;
                payload["error_message"] = workflow.ErrorMessage;
                yield return Envelope(NameBased($"workflow-failed:{id}"), Topics.WorkflowFailed, "stamp-workflow-failed", id, workflow.Namespace, payload, id, id);
            }
        }
    }

    /// <summary>
    /// A code generation event (docs/protocol.md, "Code generation" topics) about session <paramref name="sessionId"/>;
    /// <paramref name="fact"/> names what happened, so a retried write meets itself in the outbox.
    /// </summary>
    public OutboxEvent Codegen(string topic, string eventType, Guid sessionId, string fact, JsonObject payload)
    {
        var id = sessionId.ToString("D");
        payload["session_id"] = id;
        return Envelope(NameBased($"codegen:{id}:{topic}:{fact}"), topic, eventType, id, null, payload, id, id, new JsonObject { ["session_id"] = id });
    }

    OutboxEvent Envelope(Guid eventId, string topic, string eventType, string partitionKey, string? namespaceName, JsonObject payload,
        string? correlationId, string? causationId, JsonObject? metadata = null) =>
        Envelope(eventId, topic, eventType, partitionKey, namespaceName, writer => payload.WriteTo(writer), options.SigningKey is { } key ? Sign(key, payload) : null,
            correlationId, causationId, metadata);

    /// <summary>The envelope's fields in their order, the payload written by <paramref name="payload"/>; signed when <paramref name="signature"/> is given.</summary>
    OutboxEvent Envelope(Guid eventId, string topic, string eventType, string partitionKey, string? namespaceName, Action<Utf8JsonWriter> payload,
        string? signature, string? correlationId, string? causationId, JsonObject? metadata = null)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("envelope_version", "1.0");
            writer.WriteString("event_id", eventId);
            writer.WriteString("event_type", eventType);
            writer.WriteString("event_version", "1.0");
            writer.WriteString("timestamp", StampTimestamp.Format(clock.GetUtcNow().UtcDateTime));
            writer.WriteString("correlation_id", correlationId ?? eventId.ToString("D"));
            writer.WriteString("causation_id", causationId);
            writer.WriteString("source_service", SourceService);
            writer.WriteString("source_version", options.SourceVersion);
            writer.WriteString("source_instance", options.SourceInstance);
            writer.WriteString("environment", options.Environment);
            writer.WriteString("partition_key", partitionKey);
            writer.WritePropertyName("payload");
            payload(writer);
            writer.WritePropertyName("metadata");
            if (metadata is not null) metadata.WriteTo(writer);
            else
            {
                writer.WriteStartObject();
                writer.WriteString("namespace", namespaceName);
                writer.WriteEndObject();
            }
            if (signature is null) writer.WriteNull("security_context");
            else
            {
                writer.WriteStartObject("security_context");
                writer.WriteString("algorithm", "HMAC-SHA256");
                writer.WriteString("hmac_signature", signature);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        // The span that wrote the event (the request's grain call) becomes the parent of its publication.
        return new OutboxEvent(eventId, topic, partitionKey, eventType, Encoding.UTF8.GetString(buffer.WrittenSpan), Activity.Current?.Id);
    }

    /// <summary>HMAC-SHA256 of the payload's canonical JSON, as lowercase hex.</summary>
    public static string Sign(byte[] key, JsonNode payload) => Convert.ToHexStringLower(HMACSHA256.HashData(key, CanonicalJson.Of(payload)));

    /// <summary>Whether <paramref name="signature"/> is the payload's HMAC-SHA256 under <paramref name="key"/> (compared in constant time).</summary>
    public static bool Verify(byte[] key, JsonNode payload, string? signature) =>
        signature is { Length: 64 } && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(key, payload)), Encoding.ASCII.GetBytes(signature));

    /// <summary>A stable id for a named fact: the same name, the same id (a version 8 UUID from SHA-256).</summary>
    public static Guid NameBased(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

}
