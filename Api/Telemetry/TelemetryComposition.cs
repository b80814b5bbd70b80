using OmniBridge.Api.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OmniBridge.Api.Telemetry;

/// <summary>
/// OpenTelemetry (docs/architecture.md, "Observability"): metrics (Orleans' meters and the service's) always, scraped by
/// Prometheus at /metrics; with OTEL_EXPORTER_OTLP_ENDPOINT set, also traces (HTTP → grain calls →
/// PostgreSQL → Kafka, one trace per request), metrics and logs over OTLP.
/// </summary>
public static class TelemetryComposition
{
    /// <summary>Orleans' own meter.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>The meters the service reports: Orleans' own and the service's.</summary>
    public static readonly string[] Meters = [OrleansMeter, ServiceMetrics.MeterName, "OmniBridge.Grains", "OmniBridge.Silo"];

    /// <summary>
    /// Where spans come from besides ASP.NET Core: Orleans' grain calls and storage, Npgsql's
    /// commands, the stamps' group commits, and the outbox relay's publications (each a child of the request that wrote it).
    /// </summary>
    public static readonly string[] Sources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Microsoft.Orleans.Storage", "Npgsql", "OmniBridge.Postgres", "OmniBridge.Events"];

    /// <summary>
    /// Series kept per metric. OpenTelemetry's default of 2,000 is allocated up front for every metric, about 40 MiB for
    /// the 274 metrics a silo has (Orleans' own, mostly); the service's labels (operation, status code, grain type,
    /// topic, outcome) make at most a few hundred. A series past the limit is counted under <c>otel_metric_overflow</c>.
    /// </summary>
    public const int CardinalityLimit = 512;

    /// <summary>
    /// Series kept per metric of Orleans' own (130 in use on a silo), labelled by grain type, stream queue or message
    /// kind: a few dozen series each. Their series arrays are allocated whole, used or not: 4.8 MB at
    /// <see cref="CardinalityLimit"/>, 1.2 MB at this limit (a heap dump of a silo under load, bench/README.md).
    /// </summary>
    public const int OrleansCardinalityLimit = 128;

    public static IServiceCollection AddOmniBridgeTelemetry(this IServiceCollection services, IConfiguration config)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("omnibridge-orleans",
                serviceInstanceId: config["POD_NAME"] is { Length: > 0 } pod ? pod : Environment.MachineName))
            .WithMetrics(metrics => metrics.AddMeter(Meters)
                .AddView(instrument => new MetricStreamConfiguration
                {
                    CardinalityLimit = instrument.Meter.Name == OrleansMeter ? OrleansCardinalityLimit : CardinalityLimit,
                })
                .AddPrometheusExporter());
        if (ExportsTraces(config))
        {
            // Spans are made only where something takes them: without an exporter, tracing costs nothing.
            telemetry.WithTracing(Tracing).WithLogging().UseOtlpExporter();
            services.Configure<OpenTelemetry.Logs.OpenTelemetryLoggerOptions>(o => o.IncludeScopes = true);
        }
        return services;
    }

    /// <summary>
    /// Whether spans are exported (OTEL_EXPORTER_OTLP_ENDPOINT is set). Only then does a silo carry trace context across
    /// grain calls: without a listener Orleans' propagation filters make no span, yet they cost a fifth to a third of
    /// a grain call's CPU (bench/README.md, "Trace context only when traces are exported").
    /// </summary>
    public static bool ExportsTraces(IConfiguration config) => !string.IsNullOrWhiteSpace(config["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    /// <summary>The spans of a request: the HTTP server span and everything under it.</summary>
    public static void Tracing(TracerProviderBuilder tracing) => tracing
        .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics") && !http.Request.Path.StartsWithSegments("/health"))
        .AddSource(Sources);
}
