using System.IO.Compression;
using System.Net;
using OmniBridge.Tests.Cluster.Processes;
using OmniBridge.Tests.Fixtures;
using static OmniBridge.Tests.Api.Codegen.CodegenRequestBodies;

namespace OmniBridge.Tests.Silo.Postgres;

/// <summary>
/// docs/runs.md, "Surviving a silo": two silo processes on PostgreSQL, a run submitted to the first one's API (its
/// coordinator is placed there, and its agents run there too), and that silo killed with SIGKILL mid-run. Nobody asks
/// the run anything afterwards: its reminder resumes it on the other silo, and the run completes with each contract
/// completed once and each step completed once in the signal log.
/// </summary>
public sealed class RunFailoverTests : IAsyncLifetime
{
    const string Runs = "/api/v1/codegen/runs";

    // One step at a time, so that the run is still going when the kill comes; a reminder every 2 s instead of 10.
    readonly SiloClusterProcesses cluster = new(silos: 2, standaloneApi: false, settings: new Dictionary<string, string>
    {
        ["CODEGEN_MAX_PARALLEL"] = "1",
        ["CODEGEN_RUN_RESUME_SECONDS"] = "2",
    });

    public Task InitializeAsync() => cluster.InitializeAsync();

    public Task DisposeAsync() => cluster.DisposeAsync();

    static object Contract(string name, string serviceName, string[]? dependsOn = null) => new
    {
        name,
        requirements = Requirements(serviceName, operations: ["create", "read"], description: $"The {serviceName} store"),
        depends_on = dependsOn ?? [],
    };

    Task<long> CountAsync(Guid runId, string where) =>
        cluster.Database.ScalarAsync<long>($"SELECT count(*) FROM codegen_run_signals WHERE run_id = '{runId}' AND {where}");

    [Fact]
    public async Task A_run_whose_silo_is_killed_completes_on_the_other_with_each_contract_and_step_completed_once()
    {
        string[] names = ["customers", "orders", "invoices", "audit"];
        var runId = Guid.CreateVersion7();
        var (doomed, _) = cluster.Silos[0];
        var (survivor, _) = cluster.Silos[1];
        var submitted = await doomed.Http.PostJsonAsync(Runs, new
        {
            run_id = runId.ToString(),
            strategy = "template",
            contracts = new[]
            {
                Contract("customers", "customer_store"),
                Contract("orders", "order_store", ["customers"]),
                Contract("invoices", "invoice_store", ["customers"]),
                Contract("audit", "audit_log"),
            },
        });
        Assert.True(submitted.Status == HttpStatusCode.Accepted, submitted.ToString());

        // Mid-run: some steps are done, the last stage is not.
        await Eventually.TrueAsync(async () => await CountAsync(runId, "signal_type = 'agent_completed'") >= 5,
            "five steps of the run complete", TimeSpan.FromSeconds(120));
        doomed.KillHard();
        Assert.Equal(0L, await CountAsync(runId, "signal_type = 'stage_completed' AND data->>'stage' = 'package_node'"));
        var beforeKill = await CountAsync(runId, "signal_type = 'agent_completed'");
        Assert.True(beforeKill < names.Length * 6, $"the run had {beforeKill} steps completed when its silo was killed: it was not mid-run");

        // Only the reminder can bring the coordinator back, on the surviving silo: the test asks nothing until the last stage completed.
        await Eventually.TrueAsync(async () => await CountAsync(runId, "signal_type = 'stage_completed' AND data->>'stage' = 'package_node'") == 1,
            "the run's last stage completes on the other silo", TimeSpan.FromSeconds(240));

        var run = (await survivor.Http.GetReplyAsync($"{Runs}/{runId}")).Data;
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(names.Order(), run.GetProperty("contracts").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).Order());
        Assert.All(run.GetProperty("contracts").EnumerateArray(), c => Assert.Equal("completed", c.GetProperty("status").GetString()));
        Assert.All(run.GetProperty("stages").EnumerateArray(), s => Assert.Equal("completed", s.GetProperty("status").GetString()));

        // The log holds every signal once, seq from 1 without a gap, across the kill.
        var signals = (await survivor.Http.GetReplyAsync($"{Runs}/{runId}/signals")).Data.GetProperty("signals").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, signals.Count).Select(i => (long)i), signals.Select(s => s.GetProperty("seq").GetInt64()));
        Assert.Equal(signals.Count, await CountAsync(runId, "true"));

        // Each step completed once: one agent_completed per contract and stage, with status completed (a step that was
        // running when the silo died ran again, but only the run that finished it speaks of it as completed).
        var completed = signals.Where(s => s.GetProperty("signal_type").GetString() == "agent_completed")
            .Select(s => s.GetProperty("data"))
            .Where(d => d.GetProperty("status").GetString() == "completed")
            .Select(d => (Contract: d.GetProperty("contract").GetString()!, Stage: d.GetProperty("stage").GetString()!))
            .ToList();
        Assert.Equal(names.Length * 6, completed.Count);
        Assert.Equal(completed.Count, completed.Distinct().Count());
        Assert.Equal(6, signals.Count(s => s.GetProperty("signal_type").GetString() == "stage_completed"));

        // Each contract completed once: one package each, under its own name.
        var zip = await survivor.Http.GetAsync($"{Runs}/{runId}/package.zip");
        Assert.Equal(HttpStatusCode.OK, zip.StatusCode);
        using var archive = new ZipArchive(await zip.Content.ReadAsStreamAsync());
        Assert.Equal(names.Order(), archive.Entries.Select(e => e.FullName.Split('/')[0]).Distinct().Order());
        Assert.Equal(names.Length, archive.Entries.Count(e => e.FullName.EndsWith("/contract.yaml", StringComparison.Ordinal) && e.FullName.Count(ch => ch == '/') == 1));
    }
}
