using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Api.Telemetry;
using OmniBridge.Tests.Fixtures;
using OpenTelemetry.Trace;

namespace OmniBridge.Tests.Silo.Kafka;

/// <summary>docs/architecture.md, "Observability": one trace per request, from the HTTP request through the grain calls and PostgreSQL to Kafka.</summary>
public sealed class TracingTests : IAsyncLifetime, IDisposable
{
    readonly KafkaServiceWithoutSilo service = new();
    readonly SpanCollection spans = new();
    // Traces are exported (as an operator turns them on), and the spans are also kept here to be read.
    readonly OtlpCollector collector = new();
    SiloApp silo = null!;

    public async Task InitializeAsync()
    {
        await service.InitializeAsync();
        silo = await service.StartSiloAsync(settings: collector.Settings, configure: services => services.AddOpenTelemetry().WithTracing(tracing =>
        {
            TelemetryComposition.Tracing(tracing);
            tracing.AddInMemoryExporter(spans);
        }));
    }

    public async Task DisposeAsync()
    {
        await silo.DisposeAsync();
        await service.DisposeAsync();
    }

    public void Dispose() => collector.Dispose();

    [Fact]
    public async Task One_stamp_request_is_one_trace_through_http_grain_calls_postgres_and_kafka()
    {
        // The request carries a trace of its own (as a traced caller's would), so the spans of this
        // request are told apart from those of other tests' hosts, which the process-wide
        // listeners also export here (SpanCollection says why).
        var trace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, ApiCalls.Base + "/stamp")
        {
            Content = new StringContent("""{"content":"traced from end to end","namespace":"tracing"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        var reply = await Reply.ReadAsync(await silo.Http.SendAsync(request));
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        var stampId = reply.Data.GetProperty("stamp_id").GetString();

        await Eventually.TrueAsync(() => Task.FromResult(spans.OfTrace(trace).Any(s => s.Source.Name == "OmniBridge.Events")),
            "the event's publication joins the trace", TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => Task.FromResult(spans.OfTrace(trace).Any(s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore")),
            "the HTTP span is exported");

        var ofTrace = spans.OfTrace(trace);
        var http = Assert.Single(ofTrace, s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore");
        Assert.Equal(ApiCalls.Base + "/stamp", http.GetTagItem("url.path"));
        Assert.Contains(ofTrace, s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.DisplayName.Contains("IStampWorkerGrain", StringComparison.Ordinal));
        Assert.Contains(ofTrace, s => s.Source.Name == "Npgsql" && (s.GetTagItem("db.query.text") ?? s.GetTagItem("db.statement"))?.ToString()?.Contains("metadata_stamps", StringComparison.Ordinal) == true);
        var publish = Assert.Single(ofTrace, s => s.Source.Name == "OmniBridge.Events");
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        Assert.Equal(stampId, publish.GetTagItem("messaging.message.id"));

        // Consumers continue the trace from the message's traceparent header.
        var message = Assert.Single(service.Kafka.ReadAll(service.Topics.StampCreated, 1));
        Assert.Contains(trace.ToHexString(), message.Message.Headers.Text("traceparent"), StringComparison.Ordinal);
    }
}
