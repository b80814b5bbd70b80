using System.Diagnostics.Metrics;
using System.Text;
using Confluent.Kafka;
using OmniBridge.Grains.Events;
using OmniBridge.Orleans.Streams.Kafka;
using OmniBridge.Silo.Configuration;
using OmniBridge.Silo.Postgres;

namespace OmniBridge.Silo.Kafka;

/// <summary>
/// Watches the four codegen dead-letter topics (docs/codegen-events.md, "DLQ monitor"). It counts every dead letter that reaches
/// them: the ones this silo writes the moment it writes them (<see cref="Counted"/>), and the others (another silo's, or any
/// other producer's) as it reads them from the topics, from their end when it starts (what came before is history). Counts
/// live in a sliding window; when one topic holds more than the threshold within it, the monitor alerts (a warning log,
/// <c>omnibridge_codegen_dlq_alerts_total</c>, the webhook if configured) and then stays quiet for that topic for the
/// cooldown; /health is degraded as long as a topic is over the threshold. Reading runs on its own thread; an alert's
/// webhook is sent in the background, its failure logged, never thrown.
/// </summary>
public sealed partial class CodegenDeadLetterMonitor : BackgroundService
{
    /// <summary>Header naming the silo that wrote a dead letter, so that its own reading does not count it twice.</summary>
    public const string DeadLetteredBy = "dead_lettered_by";

    readonly CodegenEventSettings settings;
    readonly KafkaClients clients;
    readonly IHttpClientFactory http;
    readonly TimeProvider clock;
    readonly ILogger<CodegenDeadLetterMonitor> log;
    readonly Counter<long> deadLetters;
    readonly Counter<long> alerts;
    readonly Dictionary<string, TopicWindow> topics;
    readonly Lock gate = new();

    sealed class TopicWindow
    {
        public readonly Queue<DateTimeOffset> Arrivals = new();
        public DateTimeOffset? LastAlert;
        public string? LastError;
        public long Total;
    }

    public CodegenDeadLetterMonitor(CodegenEventSettings settings, KafkaClients clients, IHttpClientFactory http, IMeterFactory meters, TimeProvider clock, ILogger<CodegenDeadLetterMonitor> log)
    {
        (this.settings, this.clients, this.http, this.clock, this.log) = (settings, clients, http, clock, log);
        topics = CodegenTopics.Steps.Select(CodegenTopics.DeadLetter).ToDictionary(t => t, _ => new TopicWindow());
        var meter = meters.Create(StoreGauges.MeterName);
        deadLetters = meter.CreateCounter<long>("omnibridge.codegen.dead_letters", "{message}",
            "Dead letters on the codegen DLQ topics, by topic and origin (this silo, or observed on the topic)");
        alerts = meter.CreateCounter<long>("omnibridge.codegen.dlq.alerts", "{alert}",
            "Alerts raised because a codegen DLQ topic held more than CODEGEN_DLQ_ALERT_THRESHOLD dead letters within the window");
        meter.CreateObservableGauge("omnibridge.codegen.dlq.window_count", () => Snapshot().Topics.Select(t => new Measurement<long>(t.Count, new KeyValuePair<string, object?>("topic", t.Topic))),
            "{message}", "Dead letters per codegen DLQ topic within the sliding window (CODEGEN_DLQ_WINDOW_SECONDS)");
        meter.CreateObservableGauge("omnibridge.codegen.dlq.rate_per_minute", () => Snapshot().Topics.Select(t => new Measurement<double>(t.RatePerMinute, new KeyValuePair<string, object?>("topic", t.Topic))),
            description: "Dead letters per minute per codegen DLQ topic, averaged over the sliding window");
    }

    /// <summary>This process, as <see cref="DeadLetteredBy"/> names it.</summary>
    public string Instance { get; } = $"{Environment.MachineName}/{Guid.NewGuid():N}";

    public CodegenEventSettings Settings => settings;

    /// <summary>A dead letter this silo wrote to <paramref name="topic"/>.</summary>
    public void Counted(string topic, string? error) => Count(topic, error, "service");

    void Count(string topic, string? error, string origin)
    {
        deadLetters.Add(1, new KeyValuePair<string, object?>("topic", topic), new KeyValuePair<string, object?>("origin", origin));
        Alert? alert = null;
        lock (gate)
        {
            if (!topics.TryGetValue(topic, out var window)) return;
            var now = clock.GetUtcNow();
            window.Arrivals.Enqueue(now);
            window.Total++;
            window.LastError = error ?? window.LastError;
            Expire(window, now);
            if (window.Arrivals.Count > settings.AlertThreshold && (window.LastAlert is not { } last || now - last >= settings.AlertCooldown))
            {
                window.LastAlert = now;
                alert = new Alert(topic, window.Arrivals.Count, settings.AlertThreshold, (long)settings.Window.TotalSeconds,
                    Rate(window.Arrivals.Count), window.LastError, now.UtcDateTime, Instance);
            }
        }
        if (alert is not null) Raise(alert);
    }

    void Expire(TopicWindow window, DateTimeOffset now)
    {
        while (window.Arrivals.TryPeek(out var oldest) && now - oldest > settings.Window) window.Arrivals.Dequeue();
    }

    double Rate(int count) => Math.Round(count / settings.Window.TotalMinutes, 3);

    /// <summary>The alert as logged and POSTed: the original's fields, and the window's.</summary>
    public sealed record class Alert(string Topic, int Count, int Threshold, long WindowSeconds, double RatePerMinute, string? RecentError, DateTime Timestamp, string SourceInstance)
    {
        public string AlertType => "dlq_threshold_exceeded";
        public string Severity => "critical";
    }

    void Raise(Alert alert)
    {
        alerts.Add(1, new KeyValuePair<string, object?>("topic", alert.Topic));
        LogAlert(log, alert.Topic, alert.Count, alert.WindowSeconds, alert.Threshold, alert.RecentError);
        if (settings.WebhookUrl is { } url) _ = PostAsync(url, alert);
    }

    async Task PostAsync(Uri url, Alert alert)
    {
        try
        {
            using var client = http.CreateClient(nameof(CodegenDeadLetterMonitor));
            client.Timeout = TimeSpan.FromSeconds(10);
            using var response = await client.PostAsJsonAsync(url, alert, WebhookJson);
            if (!response.IsSuccessStatusCode) LogWebhookRefused(log, url, (int)response.StatusCode);
        }
        catch (Exception e)
        {
            LogWebhookFailed(log, url, e.Message);
        }
    }

    static readonly System.Text.Json.JsonSerializerOptions WebhookJson = new() { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower };

    public sealed record class TopicFigures(string Topic, int Count, double RatePerMinute, bool Alerting, long Total, DateTime? LastAlertAt, string? LastError);

    public sealed record class Figures(int Threshold, long WindowSeconds, long CooldownSeconds, double RatePerMinute, IReadOnlyList<TopicFigures> Topics);

    /// <summary>Each topic's count within the window (as of now), its rate, and whether it is over the threshold.</summary>
    public Figures Snapshot()
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            var list = new List<TopicFigures>();
            foreach (var (topic, window) in topics)
            {
                Expire(window, now);
                list.Add(new TopicFigures(topic, window.Arrivals.Count, Rate(window.Arrivals.Count), window.Arrivals.Count > settings.AlertThreshold,
                    window.Total, window.LastAlert?.UtcDateTime, window.LastError));
            }
            return new Figures(settings.AlertThreshold, (long)settings.Window.TotalSeconds, (long)settings.AlertCooldown.TotalSeconds,
                Rate(list.Sum(t => t.Count)), list);
        }
    }

    /// <summary>Reads the DLQ topics from their end, counting what other writers put there.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Watch(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    void Watch(CancellationToken stopping)
    {
        // Assigned, not subscribed: every silo reads every partition, and no group is left behind on the broker.
        using var consumer = new ConsumerBuilder<byte[], byte[]>(clients.Consumer("omnibridge-dlq-monitor", "omnibridge-dlq-monitor", AutoOffsetReset.Latest))
            .SetLogHandler((_, _) => { }).Build();
        using var admin = new AdminClientBuilder(clients.Admin("omnibridge-dlq-monitor")).SetLogHandler((_, _) => { }).Build();
        var assigned = new HashSet<TopicPartition>();
        var nextLook = DateTime.MinValue;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (DateTime.UtcNow >= nextLook)
                {
                    nextLook = DateTime.UtcNow + TimeSpan.FromSeconds(assigned.Select(p => p.Topic).Distinct().Count() == topics.Count ? 30 : 1);
                    var added = NewPartitions(admin, assigned, stopping);
                    if (added.Count > 0)
                    {
                        consumer.IncrementalAssign(added.Select(p => new TopicPartitionOffset(p, Offset.End)));
                        assigned.UnionWith(added);
                    }
                }
                if (assigned.Count == 0)
                {
                    stopping.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(200));
                    continue;
                }
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: { } message } read && !read.IsPartitionEOF
                    && !(message.Headers?.TryGetLastBytes(DeadLetteredBy, out var by) == true && Encoding.UTF8.GetString(by) == Instance))
                {
                    var error = message.Headers?.TryGetLastBytes(DeadLetterHeaders.Error, out var text) == true ? Encoding.UTF8.GetString(text) : null;
                    Count(read.Topic, error, "observed");
                }
            }
            catch (KafkaException e)
            {
                LogWatchFailed(log, e.Error.Reason);
                stopping.WaitHandle.WaitOne(TimeSpan.FromSeconds(2));
            }
        }
        consumer.Close();
    }

    /// <summary>The DLQ topics' partitions not yet assigned; a topic that does not exist yet is looked for again later.</summary>
    List<TopicPartition> NewPartitions(IAdminClient admin, HashSet<TopicPartition> assigned, CancellationToken stopping)
    {
        var found = new List<TopicPartition>();
        foreach (var topic in topics.Keys.TakeWhile(_ => !stopping.IsCancellationRequested))
        {
            try
            {
                var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(2)).Topics.SingleOrDefault(t => t.Topic == topic);
                if (metadata is not { Error.IsError: false }) continue;
                found.AddRange(metadata.Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).Where(p => !assigned.Contains(p)));
            }
            catch (KafkaException)
            {
            }
        }
        return found;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Codegen dead letters: {Topic} received {Count} in the last {WindowSeconds} s, over the threshold of {Threshold} (latest error: {RecentError})")]
    static partial void LogAlert(ILogger logger, string topic, int count, long windowSeconds, int threshold, string? recentError);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The DLQ alert webhook {Url} answered {Status}")]
    static partial void LogWebhookRefused(ILogger logger, Uri url, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The DLQ alert webhook {Url} could not be reached: {Reason}")]
    static partial void LogWebhookFailed(ILogger logger, Uri url, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching the codegen DLQ topics failed ({Reason}); trying again")]
    static partial void LogWatchFailed(ILogger logger, string reason);
}
