using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Transparency;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Transparency;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Cluster;

/// <summary>
/// A log draining a long backlog (docs/transparency.md, "Integration"): its checkpoints follow the drain, and a silo
/// that stops does not wait for the rest of it. The store is the embedded one, each integration made slow.
/// </summary>
public sealed class TransparencyLogDrainTests
{
    [Fact]
    public async Task Checkpoints_are_signed_between_batches_while_a_backlog_drains_not_only_at_its_end()
    {
        var saved = new ConcurrentQueue<long>();
        await using var silo = SlowLogSilo(TimeSpan.FromMilliseconds(30), saved, ("LOG_CHECKPOINT_MS", "10"));
        await silo.InitializeAsync();
        var ns = "log.drain.t" + Guid.NewGuid().ToString("N")[..10];
        for (var i = 0; i < 10; i++) await silo.Http.StampAsync($"drained in five batches {i}", ns);

        Assert.Equal(10, await silo.Grains.GetGrain<ITransparencyLogGrain>(ns).IntegrateNowAsync().WaitAsync(TimeSpan.FromSeconds(60)));

        // Batches of two, each taking longer than LOG_CHECKPOINT_MS: a checkpoint after each, not one at the end (the
        // grain may have taken the first record in alone when a stamp woke it).
        var sizes = saved.ToArray();
        Assert.True(sizes.Length >= 5, $"checkpoints saved at sizes {string.Join(", ", sizes)}");
        Assert.Equal(sizes.Order(), sizes);
        Assert.Equal(10, sizes[^1]);
    }

    [Fact]
    public async Task A_silo_stops_without_waiting_for_the_backlog_its_log_is_draining()
    {
        var silo = SlowLogSilo(TimeSpan.FromMilliseconds(200), new ConcurrentQueue<long>());
        await silo.InitializeAsync();
        var ns = "log.stop.t" + Guid.NewGuid().ToString("N")[..10];
        var items = Enumerable.Range(0, 1000).Select(i => new { content = $"waits for its leaf {i}" }).ToArray();
        (await silo.Http.PostAsJsonAsync("/api/v1/metadata-stamping/batch", new { @namespace = ns, items })).EnsureSuccessStatusCode();
        // 500 batches of two at 200 ms each: draining all of them would take 100 s.
        var log = silo.Grains.GetGrain<ITransparencyLogGrain>(ns);
        _ = log.IntegrateSoonAsync();
        var store = silo.Services.GetRequiredService<ITransparencyLogStore>();
        while (await store.SizeAsync(ns) < 4) await Task.Delay(50);

        // Orleans' deactivation timeout (30 s) is what a stop waited for before; the rest of the backlog waits in the store.
        await silo.DisposeAsync().WaitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>An embedded silo whose logs take two records a batch, each batch <paramref name="delay"/> long, recording the checkpoints saved.</summary>
    static ConfiguredSilo SlowLogSilo(TimeSpan delay, ConcurrentQueue<long> saved, params (string Name, string Value)[] settings) =>
        new(settings.Append((Name: "LOG_INTEGRATE_MS", Value: "60000")).ToDictionary(s => s.Name, s => s.Value), services =>
        {
            services.PostConfigure<TransparencyOptions>(o => o.BatchSize = 2);
            var store = services.Single(d => d.ServiceType == typeof(ITransparencyLogStore));
            services.Remove(store);
            services.AddSingleton<ITransparencyLogStore>(sp => new SlowLogStore((ITransparencyLogStore)store.ImplementationFactory!(sp), delay, saved));
        });

    /// <summary>The store it wraps, each integration made <paramref name="delay"/> longer.</summary>
    sealed class SlowLogStore(ITransparencyLogStore inner, TimeSpan delay, ConcurrentQueue<long> saved) : ITransparencyLogStore
    {
        public async Task<long> IntegrateAsync(string namespaceName, int limit, Func<LogTip, IReadOnlyList<LeafFields>, LogAppend> plan, CancellationToken cancellationToken = default)
        {
            await Task.Delay(delay, cancellationToken);
            return await inner.IntegrateAsync(namespaceName, limit, plan, cancellationToken);
        }

        public Task SaveCheckpointAsync(string namespaceName, long size, string note, CancellationToken cancellationToken = default)
        {
            saved.Enqueue(size);
            return inner.SaveCheckpointAsync(namespaceName, size, note, cancellationToken);
        }

        public Task<long> SizeAsync(string namespaceName, CancellationToken cancellationToken = default) => inner.SizeAsync(namespaceName, cancellationToken);

        public Task<IReadOnlyDictionary<TreeNode, byte[]>> NodesAsync(string namespaceName, IReadOnlyCollection<TreeNode> nodes, CancellationToken cancellationToken = default) =>
            inner.NodesAsync(namespaceName, nodes, cancellationToken);

        public Task<IReadOnlyList<LogEntry>> EntriesAsync(string namespaceName, long start, int limit, long size, CancellationToken cancellationToken = default) =>
            inner.EntriesAsync(namespaceName, start, limit, size, cancellationToken);

        public Task<string?> CheckpointAsync(string namespaceName, CancellationToken cancellationToken = default) => inner.CheckpointAsync(namespaceName, cancellationToken);

        public Task<IReadOnlyList<string>> BackloggedNamespacesAsync(int limit, CancellationToken cancellationToken = default) => inner.BackloggedNamespacesAsync(limit, cancellationToken);
    }
}
