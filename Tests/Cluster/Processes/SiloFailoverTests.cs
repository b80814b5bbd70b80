using System.Globalization;
using OmniBridge.Tests.Fixtures;
using Xunit.Abstractions;

namespace OmniBridge.Tests.Cluster.Processes;

/// <summary>
/// docs/architecture.md, "Configuration" scale-out, as a user runs it: three silos and the standalone API on PostgreSQL, a steady
/// stamping load, and one silo lost. Whether the silo is killed or stopped, and whether the load
/// comes through the standalone API or through a surviving silo's own API, no request fails and
/// nothing accepted is lost: a request caught by a kill is slower, not failed.
/// </summary>
public sealed class SiloFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    readonly SiloClusterProcesses cluster = new();

    public Task InitializeAsync() => cluster.InitializeAsync();

    public Task DisposeAsync() => cluster.DisposeAsync();

    [Fact]
    public async Task A_silo_killed_under_load_through_the_standalone_api_fails_no_request_and_loses_no_stamp() =>
        await KillUnderLoadAsync(cluster.Api.Http, "failover.kill", callers: 6);

    [Fact]
    public async Task A_silo_killed_under_load_through_another_silos_own_api_fails_no_request_and_loses_no_stamp() =>
        await KillUnderLoadAsync(cluster.Silos[0].Process.Http, "failover.kill.own", callers: 16);

    [Fact]
    public async Task A_silo_stopped_with_SIGTERM_under_load_fails_no_request_and_leaves_the_cluster()
    {
        using var load = new StampLoad(cluster.Api.Http, "failover.term");
        load.Start();
        await load.AcceptedAsync(100, what: "the load runs");

        var (leaving, port) = cluster.Silos[1];
        var stoppedAt = load.Now;
        leaving.Terminate();
        Assert.Equal(0, await leaving.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the silo stopped {load.Now - stoppedAt:F1} s after SIGTERM"));
        Assert.Equal(SiloClusterProcesses.Dead, await cluster.StatusAsync(port));
        await load.AcceptedAsync(100, since: load.Now, what: "stamps sent after the silo left are accepted");
        var outcomes = await load.StopAsync();

        var failed = outcomes.Where(o => !o.Accepted).ToList();
        output.WriteLine($"requests {outcomes.Count}, failed {failed.Count}");
        foreach (var f in failed.Take(5)) output.WriteLine($"  {f.Status?.ToString() ?? "no answer"}: {f.Error}");
        Assert.Empty(failed);
        await AssertStoredAsync(outcomes);
    }

    /// <summary>
    /// A steady load through <paramref name="through"/>, a silo that does not serve it killed with
    /// SIGKILL, the load kept up until the cluster has declared the silo dead and then some.
    /// </summary>
    async Task KillUnderLoadAsync(HttpClient through, string ns, int callers)
    {
        using var load = new StampLoad(through, ns, callers);
        load.Start();
        await load.AcceptedAsync(100, what: "the load runs");

        var (victim, port) = cluster.Silos[1];
        var killedAt = load.Now;
        victim.KillHard();
        await Eventually.TrueAsync(async () => await cluster.StatusAsync(port) == SiloClusterProcesses.Dead, "the cluster declares the silo dead", TimeSpan.FromSeconds(90));
        var declaredAt = load.Now;
        await load.AcceptedAsync(100, since: declaredAt, what: "stamps sent after the declaration are accepted");
        var outcomes = await load.StopAsync();

        var failed = outcomes.Where(o => !o.Accepted).ToList();
        var caught = outcomes.Where(o => o.StartedAt <= declaredAt && o.EndedAt >= killedAt).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"requests {outcomes.Count} ({callers} callers), failed {failed.Count}; declared dead {declaredAt - killedAt:F1} s after the kill; " +
            $"requests between the kill and the declaration {caught.Count}, the slowest {caught.Max(o => o.EndedAt - o.StartedAt):F2} s"));
        foreach (var f in failed.Take(5)) output.WriteLine($"  {f.Status?.ToString() ?? "no answer"}: {f.Error}");

        Assert.Empty(failed);
        await AssertStoredAsync(outcomes);
    }

    async Task AssertStoredAsync(IReadOnlyList<StampLoad.Outcome> outcomes)
    {
        var accepted = outcomes.Where(o => o.Accepted).Select(o => o.FileHash!).Distinct().ToList();
        var stored = await cluster.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM metadata_stamps WHERE file_hash IN ({string.Join(",", accepted.Select(h => $"'{h}'"))})");
        Assert.Equal(accepted.Count, stored);
    }
}
