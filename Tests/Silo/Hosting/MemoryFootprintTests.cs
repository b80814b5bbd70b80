using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using System.Net.Http.Json;
using OmniBridge.Api.Telemetry;
using OmniBridge.Grains.Interfaces.Reducers;
using OmniBridge.Silo.Memory;
using OmniBridge.Tests.Fixtures;
using Orleans.Configuration;

namespace OmniBridge.Tests.Silo.Hosting;

/// <summary>
/// What a silo allocates up front (docs/architecture.md, "Observability" and "Configuration"): the grain directory's
/// cache sized by DIRECTORY_CACHE_SIZE instead of Orleans' million entries, every metric capped at
/// <see cref="TelemetryComposition.CardinalityLimit"/> series, the rest counted as overflow rather than dropped, and stamp
/// events kept by the stream's cache for seconds after their delivery, not for half an hour.
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
    public async Task Stamp_events_leave_the_stream_cache_seconds_after_they_were_delivered()
    {
        await using var silo = new ConfiguredSilo(new Dictionary<string, string>());
        await silo.InitializeAsync();
        async Task StampAsync(int i)
        {
            using var answer = await silo.Http.PostAsJsonAsync("/api/v1/metadata-stamping/stamp", new { content = $"cached event {i} {Guid.NewGuid()}\n", @namespace = "footprint.events" });
            Assert.Equal(System.Net.HttpStatusCode.Created, answer.StatusCode);
        }
        // One at a time, so that each is an event of its own on the namespace's stream.
        for (var i = 0; i < 12; i++)
        {
            await StampAsync(i);
            await Task.Delay(200);
        }
        await Task.Delay(MemoryStreamCache.MaxAge + MemoryStreamCache.MinTime + TimeSpan.FromSeconds(1));

        // A newer event makes the cache look at what it holds (Orleans purges as it adds).
        (long Added, long Purged) counts = default;
        await Eventually.TrueAsync(async () =>
        {
            await StampAsync(100);
            counts = StampQueueCounts(await silo.Http.GetStringAsync("/metrics"));
            return counts.Added >= 13 && counts.Added - counts.Purged <= 3;
        }, "the events older than the cache's window are purged");
    }

    /// <summary>Messages the stamp events' queues added to their caches and purged from them (Orleans' stream metrics), all queues together.</summary>
    static (long Added, long Purged) StampQueueCounts(string metrics)
    {
        long Sum(string name) => metrics.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal)
                && System.Text.RegularExpressions.Regex.IsMatch(line, $"QueueId=\"{StampStreams.Provider}-[0-9]+\""))
            .Sum(line => (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        return (Sum("orleans_streams_queue_cache_messages_added_total"), Sum("orleans_streams_queue_cache_messages_purged_total"));
    }
}
