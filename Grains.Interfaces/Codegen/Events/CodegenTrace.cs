namespace OmniBridge.Grains.Interfaces.Codegen.Events;

/// <summary>A session's events in time order, its status read from the latest, and the time from its first to its last event.</summary>
[GenerateSerializer, Immutable]
public sealed record class CodegenTrace
{
    [Id(0)] public required Guid SessionId { get; init; }
    /// <summary>completed, failed, in_progress or unknown.</summary>
    [Id(1)] public required string Status { get; init; }
    [Id(2)] public required double DurationMs { get; init; }
    [Id(3)] public required IReadOnlyList<CodegenEventRecord> Events { get; init; }
}

/// <summary>
/// What a session's events took (docs/codegen-events.md, "Tracer"): percentiles of processing_time_ms over the events that
/// carry one, counts by event type and status, and per topic the events over 1, 2 and 5 seconds.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record class CodegenTraceMetrics
{
    [Id(0)] public required Guid SessionId { get; init; }
    [Id(1)] public required int TotalEvents { get; init; }
    [Id(2)] public required int SuccessfulEvents { get; init; }
    [Id(3)] public required int FailedEvents { get; init; }
    [Id(4)] public required ProcessingTimeFigures ProcessingTime { get; init; }
    [Id(5)] public required IReadOnlyDictionary<string, int> ByEventType { get; init; }
    [Id(6)] public required IReadOnlyList<TopicFigures> Topics { get; init; }
    /// <summary>The topics with an event over 1 s, worst first.</summary>
    [Id(7)] public required IReadOnlyList<TopicFigures> Bottlenecks { get; init; }
    [Id(8)] public required DateTime StartedAt { get; init; }
    [Id(9)] public required DateTime EndedAt { get; init; }
    [Id(10)] public required double DurationMs { get; init; }
}

/// <summary>Processing time over the events that carry one (all zero when none does); percentiles by linear interpolation.</summary>
[GenerateSerializer, Immutable]
public sealed record class ProcessingTimeFigures(
    [property: Id(0)] int Measured,
    [property: Id(1)] double AvgMs,
    [property: Id(2)] double MinMs,
    [property: Id(3)] double MaxMs,
    [property: Id(4)] double P50Ms,
    [property: Id(5)] double P95Ms,
    [property: Id(6)] double P99Ms);

/// <summary>
/// One topic of a session: its events, their average and longest processing time, how many took over 1, 2 and 5 s, and the
/// severity that makes it a bottleneck (high: one over 5 s; medium: over 2 s; low: over 1 s; none).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record class TopicFigures(
    [property: Id(0)] string Topic,
    [property: Id(1)] int Events,
    [property: Id(2)] double AvgMs,
    [property: Id(3)] double MaxMs,
    [property: Id(4)] int Over1s,
    [property: Id(5)] int Over2s,
    [property: Id(6)] int Over5s,
    [property: Id(7)] string Severity);
