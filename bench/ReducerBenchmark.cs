using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Reducers;

namespace OmniBridge.Bench;

/// <summary>
/// Reducer throughput for one namespace: N stamps stored straight into the store, then one
/// stamp-created event each through the stream, timed until the reducer has folded them all;
/// against folding the same stamps into a tally in memory, the work with no stream and no store.
/// </summary>
public static class ReducerBenchmark
{
    public static async Task<List<string>> RunAsync(string label, IDictionary<string, string?> settings, int events)
    {
        await using var silo = await InProcessSilo.StartAsync(settings);
        var store = silo.Services.GetRequiredService<IStampStore>();
        var ns = "bench.reduce." + Guid.NewGuid().ToString("N")[..8];
        var now = DateTime.UtcNow;
        var records = Enumerable.Range(0, events).Select(i => new StampRecord
        {
            StampId = Guid.CreateVersion7(),
            FileHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i))),
            Namespace = ns,
            FilePath = $"f{i % 7}.py",
            FileSize = i % 5000,
            ContentType = "text/plain",
            StampType = StampType.Lightweight,
            Stamp = "-",
            OpId = Guid.NewGuid(),
            MetadataVersion = "0.1",
            ProtocolVersion = "1.0",
            CreatedAt = now,
            ProcessingTimeMs = 0.1,
        }).ToList();
        foreach (var chunk in records.Chunk(1000)) await store.AddBatchAsync(chunk);

        var reducer = silo.Grains.GetGrain<INamespaceReducerGrain>(ns);
        var publisher = silo.Grains.GetGrain<IBenchPublisherGrain>(0);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(records.Chunk(1000).Select(chunk => publisher.PublishAsync(chunk)));
        while ((await reducer.GetAggregatesAsync()).TotalStamps < events) await Task.Delay(20);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var facts = records.ConvertAll(r => new ReducedStamp(r.StampId, r.FileSize, r.ContentType, r.FilePath, r.CreatedAt, r.ProcessingTimeMs, null));
        var folding = Stopwatch.GetTimestamp();
        var tally = new NamespaceTally();
        foreach (var fact in facts) tally.Apply(fact, now);
        var foldSeconds = Stopwatch.GetElapsedTime(folding).TotalSeconds;

        return
        [
            string.Create(CultureInfo.InvariantCulture, $"| reducer, one namespace, {label} | {events} | {seconds:F2} | {events / seconds:F0} |"),
            string.Create(CultureInfo.InvariantCulture, $"| baseline: folding the same stamps in memory | {events} | {foldSeconds:F3} | {events / foldSeconds:F0} |"),
        ];
    }
}
