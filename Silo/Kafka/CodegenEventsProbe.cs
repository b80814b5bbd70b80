using OmniBridge.Api.Health;

namespace OmniBridge.Silo.Kafka;

/// <summary>
/// /health's codegen_events component (docs/codegen-events.md, "DLQ monitor"): degraded, with the reason, while a codegen DLQ
/// topic holds more dead letters within the window than CODEGEN_DLQ_ALERT_THRESHOLD; its figures give each topic's count and
/// rate per minute, and the consumer's load.
/// </summary>
public sealed class CodegenEventsProbe(CodegenDeadLetterMonitor monitor, CodegenRequestConsumer consumer, CodegenEventJournal journal) : IDependencyProbe
{
    public string Component => "codegen_events";

    public Task<ProbeResult> CheckAsync(CancellationToken cancellationToken)
    {
        var dlq = monitor.Snapshot();
        var (inFlight, partitions) = consumer.Load;
        var (queued, written) = journal.Progress;
        var figures = new
        {
            ConsumerGroup = CodegenRequestConsumer.ConsumerGroup,
            AssignedPartitions = partitions,
            RequestsInFlight = inFlight,
            EventLog = new { Queued = queued, Written = written },
            Dlq = new
            {
                dlq.Threshold,
                dlq.WindowSeconds,
                dlq.CooldownSeconds,
                dlq.RatePerMinute,
                Topics = dlq.Topics.ToDictionary(t => t.Topic, t => new { t.Count, t.RatePerMinute, t.Alerting, t.Total, t.LastAlertAt, t.LastError }),
            },
        };
        var over = dlq.Topics.Where(t => t.Alerting).ToList();
        var result = over.Count > 0
            ? new ProbeResult(ProbeResult.Degraded, 0,
                string.Join("; ", over.Select(t => $"{t.Topic} received {t.Count} dead letters in the last {dlq.WindowSeconds} s (threshold {dlq.Threshold})")), Figures: figures)
            : new ProbeResult(ProbeResult.Healthy, 0, $"dead letters: {dlq.RatePerMinute} per minute over the last {dlq.WindowSeconds} s", Figures: figures);
        return Task.FromResult(result);
    }
}
