using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using OmniBridge.Grains.Interfaces.Reducers;
using OmniBridge.Silo.Memory;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Hosting;

/// <summary>
/// Stamp events leave the stream's cache seconds after their delivery, not half an hour later (docs/architecture.md,
/// "Events"): under a steady load the cache is what grew a silo without end. Read from Orleans' own cache metrics on
/// /metrics; alone, after the parallel tests, since those metrics count every silo of the process.
/// </summary>
[Collection(SerialTests.Name)]
public sealed partial class StreamCacheTests
{
    [Fact]
    public async Task Stamp_events_leave_the_stream_cache_seconds_after_they_were_delivered()
    {
        await using var silo = new ConfiguredSilo(new Dictionary<string, string>());
        await silo.InitializeAsync();
        async Task StampAsync(string content)
        {
            using var answer = await silo.Http.PostAsJsonAsync("/api/v1/metadata-stamping/stamp", new { content = $"{content} {Guid.NewGuid()}\n", @namespace = "footprint.events" });
            Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        }
        // One at a time, so that each is an event of its own on the namespace's stream.
        for (var i = 0; i < 12; i++)
        {
            await StampAsync($"cached event {i}");
            await Task.Delay(200);
        }
        var window = MemoryStreamCache.MaxAge + MemoryStreamCache.MinTime + TimeSpan.FromSeconds(1);
        await Task.Delay(window);
        var before = Counts(await silo.Http.GetStringAsync("/metrics"));
        Assert.True(before.Added >= 12, $"{before.Added} messages added to the cache");

        // Orleans purges as it adds: a newer event makes the cache drop what is older than its window. On a slow
        // machine the purge may come with a later event, so one more is sent after each window that passes without it.
        var purged = false;
        for (var attempt = 0; attempt < 5 && !purged; attempt++)
        {
            await StampAsync($"newer event {attempt}");
            var deadline = DateTime.UtcNow + window;
            while (!purged && DateTime.UtcNow < deadline)
            {
                var now = Counts(await silo.Http.GetStringAsync("/metrics"));
                purged = now.Purged >= before.Added;
                if (!purged) await Task.Delay(100);
            }
        }
        Assert.True(purged, "the events older than the cache's window were never purged");
    }

    /// <summary>Messages the stamp events' queues added to their caches and purged from them (Orleans' stream metrics), all queues together.</summary>
    static (long Added, long Purged) Counts(string metrics)
    {
        long Sum(string name) => metrics.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) && StampQueue().IsMatch(line))
            .Sum(line => (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
        return (Sum("orleans_streams_queue_cache_messages_added_total"), Sum("orleans_streams_queue_cache_messages_purged_total"));
    }

    [GeneratedRegex("QueueId=\"" + StampStreams.Provider + "-[0-9]+\"")]
    private static partial Regex StampQueue();
}
