using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OmniBridge.Api.Telemetry;
using OmniBridge.Tests.Fixtures;
using Orleans.Configuration;

namespace OmniBridge.Tests.Silo.Hosting;

/// <summary>
/// What a silo allocates up front (docs/architecture.md, "Observability" and "Configuration"): the grain directory's
/// cache sized by DIRECTORY_CACHE_SIZE instead of Orleans' million entries, and every metric capped at
/// <see cref="TelemetryComposition.CardinalityLimit"/> series, the rest counted as overflow rather than dropped.
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
}
