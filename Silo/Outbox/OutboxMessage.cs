using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace OmniBridge.Silo.Outbox;

/// <summary>
/// An outbox row as a Kafka message (docs/protocol.md, "Events"): the partition key as its key, the
/// envelope's text as its value, and the headers <c>event_id</c>, <c>event_type</c> and, when the
/// event is traced, <c>traceparent</c>.
/// </summary>
public static class OutboxMessage
{
    public static Message<byte[], byte[]> Of(PendingEvent pending, Activity? span)
    {
        var headers = new Headers
        {
            { "event_id", Encoding.UTF8.GetBytes(pending.EventId.ToString("D")) },
            { "event_type", Encoding.UTF8.GetBytes(pending.EventType) },
        };
        EventTracing.Propagate(headers, span, pending.TraceParent);
        return new Message<byte[], byte[]>
        {
            Key = Encoding.UTF8.GetBytes(pending.PartitionKey),
            Value = pending.Envelope,
            Headers = headers,
        };
    }
}
