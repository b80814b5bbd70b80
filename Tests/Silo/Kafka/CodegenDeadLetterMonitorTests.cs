using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using OmniBridge.Grains.Events;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Kafka;

/// <summary>
/// docs/codegen-events.md, "DLQ monitor": with CODEGEN_DLQ_ALERT_THRESHOLD 3, the fourth dead letter within the window on one
/// DLQ topic raises the alert (a log, omnibridge_codegen_dlq_alerts_total, /health degraded naming the topic, one POST to the
/// webhook, received here by a local HTTP listener); the cooldown holds the next; dead letters another producer writes to
/// the topic are counted too, and the rate per minute is reported. Alone: the metrics listener of a silo also hears the
/// same-named meters of the other silos in this process, whose dead letters on the same topics would be counted with these.
/// </summary>
[Collection(SerialTests.Name)]
public sealed class CodegenDeadLetterMonitorTests : IAsyncLifetime, IDisposable
{
    readonly KafkaServiceWithoutSilo service = new();
    readonly HttpListener webhook = new();
    readonly ConcurrentQueue<JsonElement> alerts = new();
    readonly int port = FreePort.Next();

    public async Task InitializeAsync()
    {
        await service.InitializeAsync();
        webhook.Prefixes.Add($"http://127.0.0.1:{port}/alerts/");
        webhook.Start();
        _ = Task.Run(ListenAsync);
    }

    async Task ListenAsync()
    {
        while (webhook.IsListening)
        {
            try
            {
                var context = await webhook.GetContextAsync();
                using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
                    alerts.Enqueue(JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement.Clone());
                context.Response.StatusCode = 204;
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
        }
    }

    public async Task DisposeAsync()
    {
        webhook.Close();
        await service.DisposeAsync();
    }

    public void Dispose() => ((IDisposable)webhook).Dispose();

    static readonly string Topic = CodegenTopics.DeadLetter(CodegenTopics.Pattern);

    static async Task PoisonAsync(IProducer<string, string> producer, int n) =>
        await producer.ProduceAsync(CodegenTopics.Request(CodegenTopics.Pattern), new Message<string, string> { Key = "poison", Value = $"not json {n}" });

    static double Gauge(string metrics, string name) =>
        Regex.Match(metrics, $@"(?m)^{name}\{{[^}}]*topic=""{Topic}""[^}}]*\}} (\S+)") is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : -1;

    [Fact]
    public async Task The_alert_fires_when_the_threshold_is_crossed_once_per_cooldown_and_health_says_why()
    {
        await using var silo = await service.StartSiloAsync(settings: new Dictionary<string, string>
        {
            ["CODEGEN_DLQ_ALERT_THRESHOLD"] = "3",
            ["CODEGEN_DLQ_WINDOW_SECONDS"] = "600",
            ["CODEGEN_DLQ_ALERT_COOLDOWN_SECONDS"] = "900",
            ["CODEGEN_DLQ_WEBHOOK_URL"] = $"http://127.0.0.1:{port}/alerts/",
        });
        using var producer = service.Kafka.Producer();

        // Three: at the threshold, not above it.
        for (var i = 0; i < 3; i++) await PoisonAsync(producer, i);
        Assert.Equal(3, service.Kafka.ReadAll(Topic, 3, m => m.Message.Key == "poison", TimeSpan.FromSeconds(60)).Count);
        var health = await silo.Http.GetReplyAsync("/health");
        var component = health.Data.GetProperty("components").GetProperty("codegen_events");
        Assert.Equal("healthy", component.GetProperty("status").GetString());
        var figures = component.GetProperty("figures").GetProperty("dlq");
        Assert.Equal(3, figures.GetProperty("topics").GetProperty(Topic).GetProperty("count").GetInt32());
        Assert.Equal(Math.Round(3 / 10.0, 3), figures.GetProperty("topics").GetProperty(Topic).GetProperty("rate_per_minute").GetDouble());
        await Task.Delay(500);
        Assert.Empty(alerts);

        // The fourth crosses it: one alert, everywhere an operator looks.
        await PoisonAsync(producer, 3);
        await Eventually.TrueAsync(() => Task.FromResult(!alerts.IsEmpty), "the webhook is called");
        var alert = Assert.Single(alerts);
        Assert.Equal("dlq_threshold_exceeded", alert.GetProperty("alert_type").GetString());
        Assert.Equal(Topic, alert.GetProperty("topic").GetString());
        Assert.Equal(4, alert.GetProperty("count").GetInt32());
        Assert.Equal(3, alert.GetProperty("threshold").GetInt32());
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        Assert.Contains("not JSON", alert.GetProperty("recent_error").GetString(), StringComparison.Ordinal);
        health = await silo.Http.GetReplyAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.Equal("degraded", health.Data.GetProperty("status").GetString());
        component = health.Data.GetProperty("components").GetProperty("codegen_events");
        Assert.Equal("degraded", component.GetProperty("status").GetString());
        Assert.Contains($"{Topic} received 4 dead letters in the last 600 s (threshold 3)", component.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var metrics = await silo.Http.GetStringAsync("/metrics");
        Assert.Equal(1, Gauge(metrics, "omnibridge_codegen_dlq_alerts_total"));
        Assert.Equal(4, Gauge(metrics, "omnibridge_codegen_dlq_window_count"));
        Assert.Equal(0.4, Gauge(metrics, "omnibridge_codegen_dlq_rate_per_minute"));

        // More within the cooldown: counted, not alerted again; one written by another producer straight to the DLQ topic counts as well.
        await PoisonAsync(producer, 4);
        await producer.ProduceAsync(Topic, new Message<string, string> { Key = "elsewhere", Value = "{}", Headers = new Headers { { "error", Encoding.UTF8.GetBytes("another consumer gave up") } } });
        await Eventually.TrueAsync(async () => (await silo.Http.GetReplyAsync("/health")).Data.GetProperty("components").GetProperty("codegen_events")
            .GetProperty("figures").GetProperty("dlq").GetProperty("topics").GetProperty(Topic).GetProperty("count").GetInt32() == 6, "six dead letters are counted");
        await Task.Delay(1000);
        Assert.Single(alerts);
        metrics = await silo.Http.GetStringAsync("/metrics");
        Assert.Equal(1, Gauge(metrics, "omnibridge_codegen_dlq_alerts_total"));
        Assert.Matches(new Regex($@"(?m)^omnibridge_codegen_dead_letters_total\{{[^}}]*origin=""observed""[^}}]*\}} 1( |$)"), metrics);
    }
}
