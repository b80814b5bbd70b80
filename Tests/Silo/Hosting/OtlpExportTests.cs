using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Hosting;

/// <summary>docs/architecture.md, "Observability": with OTEL_EXPORTER_OTLP_ENDPOINT set, traces, metrics and logs go out over OTLP.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task With_an_otlp_endpoint_the_service_sends_its_traces_metrics_and_logs_there()
    {
        var port = FreePort.Next();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = new ConcurrentBag<string>();
        _ = Task.Run(async () =>
        {
            while (collector.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await collector.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                if (context.Request.ContentLength64 > 0) received.Add(context.Request.Url!.AbsolutePath);
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        await using var service = await ServiceProcess.StartReadyAsync(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "500",
            ["LOG_LEVEL"] = "INFO",
        });
        await service.Http.StampAsync("exported " + DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture), "otlp.export");

        await Eventually.TrueAsync(() => Task.FromResult(new[] { "/v1/traces", "/v1/metrics", "/v1/logs" }.All(received.Contains)),
            "traces, metrics and logs reach the collector", TimeSpan.FromSeconds(30));
    }
}
