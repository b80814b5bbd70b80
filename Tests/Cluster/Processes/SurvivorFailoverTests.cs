using System.Diagnostics;
using System.Globalization;
using System.Net;
using OmniBridge.Tests.Fixtures;
using Xunit.Abstractions;

namespace OmniBridge.Tests.Cluster.Processes;

/// <summary>
/// The worst moment for a kill: two fresh silos on PostgreSQL, one killed with SIGKILL, and at once,
/// before the cluster has declared it dead, a burst of stamps, lookups and workflow starts through
/// the survivor's own API. Nobody should notice.
/// </summary>
public sealed class SurvivorFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    readonly SiloClusterProcesses cluster = new(silos: 2, standaloneApi: false);

    public Task InitializeAsync() => cluster.InitializeAsync();

    public Task DisposeAsync() => cluster.DisposeAsync();

    [Fact]
    public async Task Stamps_lookups_and_workflows_sent_right_after_a_kill_through_the_survivors_api_all_succeed()
    {
        var (survivor, _) = cluster.Silos[0];
        var (victim, victimPort) = cluster.Silos[1];
        // Records to look up, stamped through the victim before it dies.
        var earlier = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => victim.Http.StampAsync($"stamped before the kill {i}", $"failover.burst{i % 20}")));

        victim.KillHard();
        var clock = Stopwatch.StartNew();
        var stamps = Enumerable.Range(0, 500).Select(async i =>
        {
            var started = clock.Elapsed;
            var reply = await Attempt(() => survivor.Http.PostJsonAsync(ApiCalls.Base + "/stamp", new { content = $"burst after the kill {i} {Guid.NewGuid()}", @namespace = $"failover.burst{i % 20}" }));
            return (What: "stamp", reply.Status, reply.Error, Hash: reply.Status == HttpStatusCode.Created ? reply.Reply!.Data.GetProperty("file_hash").GetString() : null, Took: clock.Elapsed - started);
        });
        var lookups = earlier.Select(async record =>
        {
            var started = clock.Elapsed;
            var reply = await Attempt(() => survivor.Http.GetReplyAsync(
                $"{ApiCalls.Base}/stamp/{record.GetProperty("file_hash").GetString()}?namespace={record.GetProperty("namespace").GetString()}"));
            return (What: "lookup", reply.Status, reply.Error, Hash: (string?)null, Took: clock.Elapsed - started);
        });
        // Workflows are grains of their own, half of them placed through the dead silo's directory
        // partition: they start once the cluster has declared it dead, the API sending them again till then.
        var workflowIds = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToList();
        var workflows = workflowIds.Select(async (id, i) =>
        {
            var started = clock.Elapsed;
            var reply = await Attempt(() => survivor.Http.PostJsonAsync("/api/v1/workflows",
                new { @namespace = "failover.burst.wf", workflow_id = id, items = new[] { new { content = $"workflow after the kill {i}" } } }));
            return (What: "workflow", reply.Status, reply.Error, Hash: (string?)null, Took: clock.Elapsed - started);
        });
        var results = await Task.WhenAll(stamps.Concat(lookups).Concat(workflows));
        var answeredIn = clock.Elapsed.TotalSeconds;
        var declared = await cluster.StatusAsync(victimPort) == SiloClusterProcesses.Dead;

        var failed = results.Where(r => r.Status is not (HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Accepted)).ToList();
        var took = results.Select(r => r.Took.TotalSeconds).Order().ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"500 stamps, 100 lookups and 50 workflow starts answered {answeredIn:F1} s after the kill (the victim declared dead by then: {declared}); " +
            $"latency p50 {took[took.Count / 2]:F2} s, p99 {took[took.Count * 99 / 100]:F2} s, max {took[^1]:F2} s; failed {failed.Count}"));
        foreach (var f in failed.Take(5)) output.WriteLine($"  {f.What} {(int)f.Status}: {f.Error}");

        Assert.Empty(failed);
        var hashes = results.Where(r => r.What == "stamp").Select(r => r.Hash!).ToList();
        Assert.Equal(500L, await cluster.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM metadata_stamps WHERE file_hash IN ({string.Join(",", hashes.Select(h => $"'{h}'"))})"));
        foreach (var id in workflowIds)
        {
            await Eventually.TrueAsync(async () => (await survivor.Http.GetReplyAsync($"/api/v1/workflows/{id}")).Data.GetProperty("state").GetString() == "completed",
                $"workflow {id} completes", TimeSpan.FromSeconds(60));
        }
    }

    static async Task<(HttpStatusCode Status, Reply? Reply, string Error)> Attempt(Func<Task<Reply>> request)
    {
        try
        {
            var reply = await request();
            return (reply.Status, reply, reply.ToString());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (0, null, e.Message);
        }
    }
}
