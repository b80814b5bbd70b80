using System.Globalization;
using System.Net;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Hosting;

/// <summary>
/// docs/architecture.md, "Observability": omnibridge_stamps_created_total, and the JSON /metrics' created count, count every
/// record created, whatever the door: /stamp, /batch, workflows and grain clients. In a silo
/// process of its own: meters are matched by name across a process.
/// </summary>
public sealed class CreatedStampMetricTests
{
    const string Ns = "samples.client";   // the sample grain client's namespace

    [Fact]
    public async Task Every_created_record_is_counted_once_whatever_the_door()
    {
        var gateway = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        await using var silo = await ServiceProcess.StartReadyAsync(new Dictionary<string, string> { ["GATEWAY_PORT"] = gateway });
        var http = silo.Http;

        await http.StampAsync("by /stamp", Ns);
        await http.StampAsync("by /stamp", Ns);   // exists: not created again
        var batch = await http.PostJsonAsync(ApiCalls.Base + "/batch", new { @namespace = Ns, items = new[] { new { content = "by /batch 1" }, new { content = "by /batch 2" } } });
        Assert.Equal(HttpStatusCode.OK, batch.Status);
        var workflow = await http.PostJsonAsync("/api/v1/workflows", new { @namespace = Ns, items = new[] { new { content = "by a workflow 1" }, new { content = "by a workflow 2" } } });
        Assert.Equal(HttpStatusCode.Accepted, workflow.Status);
        var id = workflow.Data.GetProperty("workflow_id").GetString();
        await Eventually.TrueAsync(async () => (await http.GetReplyAsync($"/api/v1/workflows/{id}")).Data.GetProperty("state").GetString() == "completed", "the workflow completes");
        await using (var client = ServiceProcess.Start(new Dictionary<string, string> { ["GATEWAY_PORT"] = gateway }, arguments: ["by a grain client"], program: ServiceProcess.SampleClient))
        {
            Assert.Equal(0, await client.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.StartsWith("created ", client.Output, StringComparison.Ordinal);
        }

        // 1 + 2 + 2 + 1 records, each counted once.
        var scraped = "";
        await Eventually.TrueAsync(async () => (scraped = await http.GetStringAsync("/metrics"))
            .Contains("omnibridge_stamps_created_total{", StringComparison.Ordinal), "the counter is scraped");
        Assert.Matches(@"(?m)^omnibridge_stamps_created_total\{[^}]*namespace=""samples\.client""[^}]*\} 6( |$)", scraped);
        var json = await http.GetReplyAsync(ApiCalls.Base + "/metrics");
        Assert.Equal(6, json.Data.GetProperty("database").GetProperty("stamps_created").GetInt64());
    }
}
