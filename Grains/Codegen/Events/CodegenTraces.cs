using OmniBridge.Grains.Interfaces.Codegen.Events;

namespace OmniBridge.Grains.Codegen.Events;

/// <summary>The tracer's arithmetic over a session's logged events (docs/codegen-events.md, "Tracer"); pure.</summary>
public static class CodegenTraces
{
    static readonly HashSet<string> Succeeded = [CodegenEventStatuses.Sent, CodegenEventStatuses.Received, CodegenEventStatuses.Completed];

    /// <summary>The trace of <paramref name="events"/> (already in time order); null when there are none.</summary>
    public static CodegenTrace? Trace(Guid sessionId, IReadOnlyList<CodegenEventRecord> events) => events.Count == 0 ? null : new CodegenTrace
    {
        SessionId = sessionId,
        Status = Status(events),
        DurationMs = (events[^1].Timestamp - events[0].Timestamp).TotalMilliseconds,
        Events = events,
    };

    /// <summary>
    /// The session's state as its latest event says: failed, completed, in_progress (processing, received or sent, unless
    /// an earlier event failed, then failed), or unknown.
    /// </summary>
    public static string Status(IReadOnlyList<CodegenEventRecord> events) => events[^1].Status switch
    {
        CodegenEventStatuses.Failed => "failed",
        CodegenEventStatuses.Completed => "completed",
        CodegenEventStatuses.Processing or CodegenEventStatuses.Received or CodegenEventStatuses.Sent =>
            events.Any(e => e.Status == CodegenEventStatuses.Failed) ? "failed" : "in_progress",
        _ => "unknown",
    };

    public static CodegenTraceMetrics? Metrics(Guid sessionId, IReadOnlyList<CodegenEventRecord> events)
    {
        if (events.Count == 0) return null;
        var topics = events.GroupBy(e => e.Topic).Select(g => Topic(g.Key, [.. g])).OrderBy(t => t.Topic, StringComparer.Ordinal).ToList();
        return new CodegenTraceMetrics
        {
            SessionId = sessionId,
            TotalEvents = events.Count,
            SuccessfulEvents = events.Count(e => Succeeded.Contains(e.Status)),
            FailedEvents = events.Count(e => e.Status == CodegenEventStatuses.Failed),
            ProcessingTime = Figures([.. events.Where(e => e.ProcessingTimeMs is not null).Select(e => e.ProcessingTimeMs!.Value)]),
            ByEventType = events.GroupBy(e => e.EventType).ToDictionary(g => g.Key, g => g.Count()),
            Topics = topics,
            Bottlenecks = [.. topics.Where(t => t.Severity != "none").OrderBy(t => Rank(t.Severity)).ThenByDescending(t => t.MaxMs)],
            StartedAt = events[0].Timestamp,
            EndedAt = events[^1].Timestamp,
            DurationMs = (events[^1].Timestamp - events[0].Timestamp).TotalMilliseconds,
        };
    }

    static TopicFigures Topic(string topic, List<CodegenEventRecord> events)
    {
        var times = events.Where(e => e.ProcessingTimeMs is not null).Select(e => e.ProcessingTimeMs!.Value).ToList();
        int Over(double ms) => times.Count(t => t > ms);
        var (over1, over2, over5) = (Over(1000), Over(2000), Over(5000));
        var severity = over5 > 0 ? "high" : over2 > 0 ? "medium" : over1 > 0 ? "low" : "none";
        return new TopicFigures(topic, events.Count, times.Count == 0 ? 0 : Math.Round(times.Average(), 3), times.Count == 0 ? 0 : times.Max(), over1, over2, over5, severity);
    }

    static int Rank(string severity) => severity switch { "high" => 0, "medium" => 1, _ => 2 };

    public static ProcessingTimeFigures Figures(IReadOnlyList<double> times)
    {
        if (times.Count == 0) return new ProcessingTimeFigures(0, 0, 0, 0, 0, 0, 0);
        var sorted = times.Order().ToArray();
        return new ProcessingTimeFigures(sorted.Length, Math.Round(sorted.Average(), 3), sorted[0], sorted[^1],
            Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.99));
    }

    /// <summary>The <paramref name="q"/> quantile of sorted values, interpolating linearly between neighbours.</summary>
    public static double Percentile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return Math.Round(sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower), 3);
    }
}
