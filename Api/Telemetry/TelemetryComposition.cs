using OmniBridge.Api.Metrics;
using OpenTelemetry.Metrics;

namespace OmniBridge.Api.Telemetry;

/// <summary>OpenTelemetry metrics: Orleans' own meters and the service's, scraped by Prometheus at /metrics.</summary>
public static class TelemetryComposition
{
    public static IServiceCollection AddOmniBridgeTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("Microsoft.Orleans")
            .AddMeter(ServiceMetrics.MeterName)
            .AddPrometheusExporter());
        return services;
    }
}
