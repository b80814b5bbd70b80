using System.Globalization;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Hosting;

/// <summary>docs/architecture.md, "Observability": with OTEL_EXPORTER_OTLP_ENDPOINT set, traces, metrics and logs go out over OTLP.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task With_an_otlp_endpoint_the_service_sends_its_traces_metrics_and_logs_there()
    {
        using var collector = new OtlpCollector();
        var settings = collector.Settings;
        settings["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
        settings["OTEL_BSP_SCHEDULE_DELAY"] = "500";
        settings["OTEL_BLRP_SCHEDULE_DELAY"] = "500";
        settings["LOG_LEVEL"] = "INFO";
        await using var service = await ServiceProcess.StartReadyAsync(settings);
        await service.Http.StampAsync("exported " + DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture), "otlp.export");

        await Eventually.TrueAsync(() => Task.FromResult(new[] { "/v1/traces", "/v1/metrics", "/v1/logs" }.All(collector.Received)),
            "traces, metrics and logs reach the collector", TimeSpan.FromSeconds(30));
    }
}
