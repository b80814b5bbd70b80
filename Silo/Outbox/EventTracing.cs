using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace OmniBridge.Silo.Outbox;

/// <summary>
/// The publication of an event as a span of the request that wrote it (docs/architecture.md, "Observability": one trace from
/// HTTP to Kafka): a producer span whose parent is the traceparent stored with the event, and that
/// travels on as the message's traceparent header for consumers to continue.
/// </summary>
public static class EventTracing
{
    public const string SourceName = "OmniBridge.Events";
    static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// A producer span for <paramref name="pending"/>, or null when nobody listens (no tracing
    /// configured). It is not made the current span: spans of many events start one after another on
    /// one thread and end on the producer's delivery thread.
    /// </summary>
    public static Activity? StartPublish(PendingEvent pending)
    {
        var current = Activity.Current;
        var span = pending.TraceParent is { } parent
            ? Source.StartActivity($"{pending.Topic} publish", ActivityKind.Producer, parent)
            : Source.StartActivity($"{pending.Topic} publish", ActivityKind.Producer);
        span?.SetTag("messaging.system", "kafka");
        span?.SetTag("messaging.destination.name", pending.Topic);
        span?.SetTag("messaging.message.id", pending.EventId.ToString("D"));
        span?.SetTag("messaging.kafka.message.key", pending.PartitionKey);
        Activity.Current = current;
        return span;
    }

    /// <summary>The trace context consumers continue from: the publish span's, else the writer's.</summary>
    public static void Propagate(Headers headers, Activity? span, string? traceParent)
    {
        if ((span?.Id ?? traceParent) is { } context) headers.Add("traceparent", Encoding.ASCII.GetBytes(context));
    }
}
