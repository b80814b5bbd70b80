using System.Reflection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;

namespace OmniBridge.Silo.Hosting;

/// <summary>
/// The dashboard, with its silo counters read through the service's own meter provider
/// (docs/architecture.md, "Observability").
/// </summary>
/// <remarks>
/// Orleans.Dashboard's hosted service builds a meter provider of its own to pass Orleans' metrics
/// to the dashboard's exporter (the "silo counters" table), with OpenTelemetry's default of 2,000
/// series a metric, allocated whole for each of Orleans' 130 instruments whether used or not:
/// 23 MB of arrays on the large-object heap for the life of the silo, with no setting to change it
/// (bench/README.md, "The dashboard's meter provider"). So the host still starts (it activates the
/// dashboard's grain and tells the silo's grain service the versions it shows), its provider is
/// disposed as soon as it is built, and the same exporter reads the metrics through a reader on the
/// service's provider, whose views keep at most a few hundred series a metric
/// (<see cref="Api.Telemetry.TelemetryComposition"/>). The package's types are internal, so they
/// are found by name; a version that renames them fails the silo's start, and the tests with it.
/// </remarks>
public static class DashboardCounters
{
    /// <summary>The package's hosted service, internal to it: found by this name.</summary>
    internal const string HostType = "Orleans.Dashboard.DashboardHost";
    const string ExporterType = "Orleans.Dashboard.Implementation.DashboardTelemetryExporter";

    /// <summary>How often the dashboard's exporter reads the metrics: every second, as the package's own reader did.</summary>
    static readonly TimeSpan ExportEvery = TimeSpan.FromSeconds(1);

    /// <summary>Adds the dashboard (<c>AddDashboard</c>), its counters read through the service's meter provider.</summary>
    public static ISiloBuilder AddDashboardOnSharedMeters(this ISiloBuilder silo)
    {
        silo.AddDashboard();
        var assembly = typeof(DashboardOptions).Assembly;
        var exporterType = assembly.GetType(ExporterType, throwOnError: true)!;
        var services = silo.Services;
        // The host is a singleton of its own type, started through a hosted service that resolves it.
        var hostType = assembly.GetType(HostType, throwOnError: true)!;
        var hosted = services.SingleOrDefault(d => d.ServiceType == typeof(IHostedService) && !d.IsKeyedService && d.ImplementationFactory?.Method.ReturnType == hostType)
            ?? throw new InvalidOperationException($"{HostType} is not started as a hosted service: Orleans.Dashboard has changed; see {nameof(DashboardCounters)}");
        // What the host keeps once started: its provider, and the exporter that refers back to it.
        var meterFields = hostType.GetFields(BindingFlags.Instance | BindingFlags.NonPublic)
            .Where(f => f.FieldType == typeof(MeterProvider) || f.FieldType == exporterType).ToArray();
        if (meterFields.Length != 2)
            throw new InvalidOperationException($"{HostType} does not keep one meter provider and one exporter: Orleans.Dashboard has changed; see {nameof(DashboardCounters)}");

        // The host gets an exporter of its own to hand to its provider (which disposes it): the
        // container's exporter serves the service's reader.
        services.Replace(ServiceDescriptor.Singleton(hostType, sp => ActivatorUtilities.CreateInstance(sp, hostType, ActivatorUtilities.CreateInstance(sp, exporterType))));
        services.Remove(hosted);
        services.AddSingleton<IHostedService>(sp => new WithoutOwnMeters((IHostedService)sp.GetRequiredService(hostType), meterFields));
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddReader(sp =>
            new PeriodicExportingMetricReader((BaseExporter<Metric>)sp.GetRequiredService(exporterType), (int)ExportEvery.TotalMilliseconds)));
        return silo;
    }

    /// <summary>The dashboard's host (the container's, which disposes it), its own meter provider disposed once it has started.</summary>
    sealed class WithoutOwnMeters(IHostedService host, FieldInfo[] meterFields) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await host.StartAsync(cancellationToken);
            // Let go of both, or the exporter keeps the disposed provider (and its arrays) reachable.
            foreach (var field in meterFields)
            {
                var kept = field.GetValue(host);
                field.SetValue(host, null);
                (kept as MeterProvider)?.Dispose();
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => host.StopAsync(cancellationToken);
    }
}
