using System.Globalization;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Cluster.Processes;

/// <summary>Other .NET apps call the cluster through AddOmniBridgeClient: the sample in samples/StampClient, run as a user runs it.</summary>
public sealed class GrainClientTests
{
    [Fact]
    public async Task The_sample_client_stamps_through_grain_calls_against_a_running_silo()
    {
        var gateway = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        await using var silo = await ServiceProcess.StartReadyAsync(new Dictionary<string, string> { ["GATEWAY_PORT"] = gateway });

        await using var sample = ServiceProcess.Start(new Dictionary<string, string> { ["GATEWAY_PORT"] = gateway }, arguments: ["stamped", "by", "a", "grain", "client"],
            program: ServiceProcess.SampleClient);
        Assert.Equal(0, await sample.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        var lines = sample.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Matches("^created [0-9a-f-]{36} [0-9a-f]{64}$", lines[0]);
        Assert.StartsWith("# ONEX:uid=", lines[1], StringComparison.Ordinal);
        Assert.Equal("read back: True", lines[2]);
        // The record is the service's: the REST API finds it by the same hash.
        var hash = lines[0].Split(' ')[2];
        Assert.Equal(System.Net.HttpStatusCode.OK, (await silo.Http.GetReplyAsync($"{ApiCalls.Base}/stamp/{hash}?namespace=samples.client")).Status);
    }

    [Fact]
    public async Task The_standalone_api_serves_the_embedded_default_through_its_gateway()
    {
        var gateway = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        await using var silo = await ServiceProcess.StartReadyAsync(new Dictionary<string, string> { ["GATEWAY_PORT"] = gateway });
        await using var api = await ServiceProcess.StartReadyAsync(new Dictionary<string, string> { ["GATEWAYS"] = $"127.0.0.1:{gateway}" }, program: ServiceProcess.Api);

        var stamped = await api.Http.StampAsync("through the standalone api", "standalone.api");
        var hash = stamped.GetProperty("file_hash").GetString();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await silo.Http.GetReplyAsync($"{ApiCalls.Base}/stamp/{hash}?namespace=standalone.api")).Status);
        var health = await api.Http.GetReplyAsync("/health");
        Assert.Equal("healthy", health.Data.GetProperty("components").GetProperty("cluster").GetProperty("status").GetString());

        // The dashboard, through the API host: its page, and the silo's counters read from the cluster.
        Assert.Contains("<html", await api.Http.GetStringAsync("/dashboard/"), StringComparison.OrdinalIgnoreCase);
        await Eventually.TrueAsync(async () =>
        {
            using var counters = System.Text.Json.JsonDocument.Parse(await api.Http.GetStringAsync("/dashboard/DashboardCounters"));
            return counters.RootElement.GetProperty("totalActiveHostCount").GetInt32() == 1;
        }, "the dashboard reports the silo", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task The_standalone_api_started_before_its_cluster_connects_once_the_cluster_is_up()
    {
        var gateway = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        await using var api = ServiceProcess.Start(new Dictionary<string, string> { ["GATEWAYS"] = $"127.0.0.1:{gateway}" }, program: ServiceProcess.Api);
        // It has tried its cluster and failed (it says so) before the cluster starts; it stays up.
        await Eventually.TrueAsync(() =>
        {
            Assert.False(api.HasExited, api.Output);
            return Task.FromResult(api.Output.Contains("Cannot reach the cluster yet (attempt 1)", StringComparison.Ordinal));
        }, "the standalone API finds no cluster", TimeSpan.FromSeconds(60));

        await using var silo = await ServiceProcess.StartReadyAsync(new Dictionary<string, string> { ["GATEWAY_PORT"] = gateway });
        await api.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        await api.Http.StampAsync("after the cluster came up", "standalone.late");
    }
}
