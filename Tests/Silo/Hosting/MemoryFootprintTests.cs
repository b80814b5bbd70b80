using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OmniBridge.Api.Telemetry;
using OmniBridge.Silo.Hosting;
using OmniBridge.Tests.Fixtures;
using Orleans.Configuration;

namespace OmniBridge.Tests.Silo.Hosting;

/// <summary>
/// What a silo allocates up front (docs/architecture.md, "Observability" and "Configuration"): the grain directory's
/// cache sized by DIRECTORY_CACHE_SIZE instead of Orleans' million entries, and every metric capped at
/// <see cref="TelemetryComposition.CardinalityLimit"/> series, the rest counted as overflow rather than dropped; and the
/// Orleans dashboard's web application read into memory only when someone opens it.
/// </summary>
public sealed class MemoryFootprintTests
{
    [Fact]
    public async Task The_directory_cache_holds_what_DIRECTORY_CACHE_SIZE_says_and_100000_by_default()
    {
        await using var sized = new ConfiguredSilo(new Dictionary<string, string> { ["DIRECTORY_CACHE_SIZE"] = "5000" });
        await sized.InitializeAsync();
        Assert.Equal(5000, sized.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.CacheSize);

        await using var plain = new ConfiguredSilo(new Dictionary<string, string>());
        await plain.InitializeAsync();
        Assert.Equal(100_000, plain.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.CacheSize);
    }

    [Fact]
    public async Task A_metric_keeps_its_first_series_and_counts_the_rest_under_overflow()
    {
        await using var silo = new ConfiguredSilo(new Dictionary<string, string>());
        await silo.InitializeAsync();
        using var meter = new Meter("OmniBridge.Silo");
        var counter = meter.CreateCounter<long>("omnibridge.test.footprint.series");
        for (var i = 0; i < TelemetryComposition.CardinalityLimit + 100; i++)
            counter.Add(1, new KeyValuePair<string, object?>("item", i));

        string[] series = [];
        await Eventually.TrueAsync(async () =>
        {
            var text = await silo.Http.GetStringAsync("/metrics");
            series = [.. text.Split('\n').Where(line => line.StartsWith("omnibridge_test_footprint_series_total{", StringComparison.Ordinal))];
            return series.Length > 0;
        }, "the test metric is scraped");

        Assert.True(series.Count(line => !line.Contains("otel_metric_overflow", StringComparison.Ordinal)) <= TelemetryComposition.CardinalityLimit, $"{series.Length} series");
        var overflow = Assert.Single(series, line => line.Contains("otel_metric_overflow=\"true\"", StringComparison.Ordinal));
        Assert.True(long.Parse(overflow.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) >= 100, overflow);
    }

    [Fact]
    public async Task The_dashboard_reads_its_web_application_only_when_someone_opens_it()
    {
        await using var silo = await ServiceProcess.StartReadyAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await silo.Http.GetAsync($"{ApiCalls.Base}/health")).StatusCode);
        var atRest = DashboardPagesInMemory(silo.Id);

        Assert.Contains("<html", await silo.Http.GetStringAsync("/dashboard/"), StringComparison.OrdinalIgnoreCase);
        var opened = DashboardPagesInMemory(silo.Id);

        // The assembly's embedded scripts, fonts and images are about 17 MiB; its code alone well under 4.
        Assert.True(atRest < 4 << 20, $"{atRest >> 10} KiB of the dashboard's assembly resident before anyone opened it");
        Assert.True(opened > 8 << 20, $"{opened >> 10} KiB of the dashboard's assembly resident once opened");
    }

    [Fact]
    public async Task The_dashboards_silo_counters_are_read_through_the_services_meters_not_a_provider_of_its_own()
    {
        await using var silo = new ConfiguredSilo(new Dictionary<string, string>());
        await silo.InitializeAsync();
        await silo.Http.StampAsync("a stamp the dashboard's counters count", "footprint.dashboard");
        var address = silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();

        // The package's own provider read Orleans' meter alone; through the service's provider the
        // table also has the service's metrics, each capped like every other series.
        string[] names = [];
        await Eventually.TrueAsync(async () =>
        {
            using var counters = JsonDocument.Parse(await silo.Http.GetStringAsync($"/dashboard/SiloCounters/{address}"));
            names = [.. counters.RootElement.EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];
            return names.Contains("omnibridge.api.requests");
        }, "the service's request counter reaches the dashboard");
        Assert.Contains("orleans-catalog-activations", names);

        // And the package's provider, with its 2,000 series for each of Orleans' metrics, is let go.
        var host = silo.Services.GetRequiredService(typeof(global::Orleans.Dashboard.DashboardOptions).Assembly.GetType(DashboardCounters.HostType, throwOnError: true)!);
        Assert.All(host.GetType().GetFields(BindingFlags.Instance | BindingFlags.NonPublic).Where(f => f.FieldType.Namespace?.StartsWith("OpenTelemetry", StringComparison.Ordinal) == true || f.FieldType.Name.Contains("Exporter", StringComparison.Ordinal)),
            field => Assert.Null(field.GetValue(host)));
    }

    /// <summary>Bytes of Orleans.Dashboard.dll that the process at <paramref name="pid"/> has in memory (Linux: /proc/PID/smaps).</summary>
    static long DashboardPagesInMemory(int pid)
    {
        long kib = 0;
        var inDashboard = false;
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0 && fields[0].Contains('-', StringComparison.Ordinal) && !fields[0].EndsWith(':'))
                inDashboard = line.EndsWith("/Orleans.Dashboard.dll", StringComparison.Ordinal);
            else if (inDashboard && fields is ["Rss:", var size, "kB"])
                kib += long.Parse(size, System.Globalization.CultureInfo.InvariantCulture);
        }
        return kib << 10;
    }
}
