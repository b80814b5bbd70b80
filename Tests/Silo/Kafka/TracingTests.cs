using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Api.Telemetry;
using OmniBridge.Tests.Fixtures;
using OpenTelemetry.Trace;

namespace OmniBridge.Tests.Silo.Kafka;

/// <summary>SPEC §10: one trace per request, from the HTTP request through the grain calls and PostgreSQL to Kafka.</summary>
public sealed class TracingTests : IAsyncLifetime
{
    readonly KafkaServiceWithoutSilo service = new();
    readonly List<Activity> spans = [];
    SiloApp silo = null!;

    public async Task InitializeAsync()
    {
        await service.InitializeAsync();
        silo = await service.StartSiloAsync(configure: services => services.AddOpenTelemetry().WithTracing(tracing =>
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

    /// <summary>
    /// The spans exported so far. The exporter appends from its own thread without a lock: a copy
    /// taken meanwhile may hold an empty slot for the span being added, which the next look sees.
    /// </summary>
    List<Activity> Spans() => [.. spans.ToArray().Where(s => s is not null)];

    [Fact]
    public async Task One_stamp_request_is_one_trace_through_http_grain_calls_postgres_and_kafka()
    {
        var reply = await silo.Http.PostJsonAsync(ApiCalls.Base + "/stamp", new { content = "traced from end to end", @namespace = "tracing" });
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        var stampId = reply.Data.GetProperty("stamp_id").GetString();

        Activity? http = null;
        await Eventually.TrueAsync(() => Task.FromResult((http = Spans().SingleOrDefault(s =>
            s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore" && s.GetTagItem("url.path") as string == ApiCalls.Base + "/stamp")) is not null),
            "the HTTP span is exported");
        var trace = http!.TraceId;
        await Eventually.TrueAsync(() => Task.FromResult(Spans().Any(s => s.TraceId == trace && s.Source.Name == "OmniBridge.Events")),
            "the event's publication joins the trace", TimeSpan.FromSeconds(30));

        var ofTrace = Spans().Where(s => s.TraceId == trace).ToList();
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
