using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniBridge.Grains.Interfaces.Codegen.Events;

namespace OmniBridge.Grains.Codegen.Events;

/// <summary>
/// A session's status event as event_logs keeps it (docs/codegen-events.md, "event_logs"): the envelope is the payload, the
/// session's status gives the row's (processing until it is completed or failed), the envelope's timestamp its time.
/// </summary>
public static class CodegenStatusRecord
{
    /// <summary>The row of the status event <paramref name="envelope"/>; null when it is not one (no payload.session_id).</summary>
    public static CodegenEventRecord? Of(Guid eventId, string envelope, string topic, int? partition = null, long? offset = null)
    {
        try
        {
            var root = JsonNode.Parse(envelope)!.AsObject();
            var payload = root["payload"]!.AsObject();
            return new CodegenEventRecord
            {
                EventId = eventId,
                SessionId = Guid.Parse(payload["session_id"]!.GetValue<string>()),
                CorrelationId = root["correlation_id"]?.GetValue<string>(),
                EventType = CodegenEventTypes.Status,
                Topic = topic,
                Partition = partition,
                Offset = offset,
                Timestamp = DateTime.Parse(root["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                Status = payload["status"]?.GetValue<string>() switch
                {
                    "completed" => CodegenEventStatuses.Completed,
                    "failed" or "cancelled" => CodegenEventStatuses.Failed,
                    _ => CodegenEventStatuses.Processing,
                },
                Payload = envelope,
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NullReferenceException or ArgumentNullException)
        {
            return null;
        }
    }
}
