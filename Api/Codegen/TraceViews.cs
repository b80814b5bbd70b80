using System.Text.Json;
using System.Text.Json.Serialization;
using OmniBridge.Grains.Interfaces.Codegen.Events;

namespace OmniBridge.Api.Codegen;

/// <summary>One logged codegen event (docs/codegen-events.md, "Tracer"); <c>payload</c> is the message's JSON as it was sent or received.</summary>
public sealed record class EventView(
    Guid EventId,
    Guid? SessionId,
    string? CorrelationId,
    string EventType,
    string Topic,
    int? Partition,
    long? Offset,
    DateTime Timestamp,
    string Status,
    double? ProcessingTimeMs,
    string? Error,
    JsonElement Payload)
{
    public static EventView From(CodegenEventRecord e)
    {
        using var payload = JsonDocument.Parse(e.Payload);
        return new(e.EventId, e.SessionId, e.CorrelationId, e.EventType, e.Topic, e.Partition, e.Offset, e.Timestamp, e.Status, e.ProcessingTimeMs, e.Error,
            payload.RootElement.Clone());
    }
}

/// <summary>GET /sessions/{id}/trace: status completed, failed, in_progress or unknown; duration from the first event to the last.</summary>
public sealed record class TraceResponse(Guid SessionId, string Status, double DurationMs, int TotalEvents, IReadOnlyList<EventView> Events);

/// <summary>GET /events?correlation_id=.</summary>
public sealed record class EventsResponse(string CorrelationId, int TotalEvents, IReadOnlyList<EventView> Events);

/// <summary>
/// GET /sessions/{id}/trace/metrics: processing-time percentiles over the events that carry one; per topic, how many took over
/// 1, 2 and 5 s; a topic is a bottleneck when one of its events took over 1 s (severity high over 5 s, medium over 2 s, else low).
/// </summary>
public sealed record class TraceMetricsResponse(
    Guid SessionId,
    int TotalEvents,
    int SuccessfulEvents,
    int FailedEvents,
    double SuccessRate,
    ProcessingTimeFigures ProcessingTime,
    IReadOnlyDictionary<string, int> ByEventType,
    IReadOnlyList<TopicView> Topics,
    IReadOnlyList<TopicView> Bottlenecks,
    DateTime StartedAt,
    DateTime EndedAt,
    double DurationMs)
{
    public static TraceMetricsResponse From(CodegenTraceMetrics m) => new(m.SessionId, m.TotalEvents, m.SuccessfulEvents, m.FailedEvents,
        m.TotalEvents == 0 ? 0 : Math.Round((double)m.SuccessfulEvents / m.TotalEvents, 3), m.ProcessingTime, m.ByEventType, [.. m.Topics.Select(TopicView.From)], [.. m.Bottlenecks.Select(TopicView.From)],
        m.StartedAt, m.EndedAt, Math.Round(m.DurationMs, 3));
}

/// <summary>One topic of a session's metrics: its events, their average and longest processing time, those over 1, 2 and 5 s, and its severity.</summary>
public sealed record class TopicView(
    string Topic,
    int Events,
    double AvgMs,
    double MaxMs,
    [property: JsonPropertyName("over_1s")] int Over1s,
    [property: JsonPropertyName("over_2s")] int Over2s,
    [property: JsonPropertyName("over_5s")] int Over5s,
    string Severity)
{
    public static TopicView From(TopicFigures t) => new(t.Topic, t.Events, t.AvgMs, t.MaxMs, t.Over1s, t.Over2s, t.Over5s, t.Severity);
}
