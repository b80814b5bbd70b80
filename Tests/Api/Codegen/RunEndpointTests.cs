using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Grains.Codegen;
using OmniBridge.Grains.Interfaces.Codegen.Runs;
using OmniBridge.Tests.Fixtures;
using Orleans.Streams;
using static OmniBridge.Tests.Api.Codegen.CodegenRequestBodies;

namespace OmniBridge.Tests.Api.Codegen;

/// <summary>docs/runs.md through the REST API of the embedded default: coordinated runs of several contracts.</summary>
[Collection(SharedService.Name)]
public sealed class RunEndpointTests(SiloApp service)
{
    const string Runs = "/api/v1/codegen/runs";
    readonly HttpClient http = service.Http;

    static object Contract(string name, string serviceName, string[]? dependsOn = null, int priority = 50, object? requirements = null, object[]? gates = null) => new
    {
        name,
        requirements = requirements ?? Requirements(serviceName, operations: ["create", "read"], description: $"The {serviceName} store"),
        depends_on = dependsOn ?? [],
        priority,
        gates = gates ?? [],
    };

    async Task<JsonElement> FinishedAsync(string runId)
    {
        JsonElement run = default;
        await Eventually.TrueAsync(async () =>
        {
            var reply = await http.GetReplyAsync($"{Runs}/{runId}");
            run = reply.Data;
            return run.GetProperty("status").GetString() is "completed" or "failed" or "cancelled";
        }, $"run {runId} finishes", TimeSpan.FromSeconds(90));
        return run;
    }

    static JsonElement ContractOf(JsonElement run, string name) => run.GetProperty("contracts").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    async Task<string> StartAsync(object body)
    {
        var reply = await http.PostJsonAsync(Runs, body);
        Assert.True(reply.Status == HttpStatusCode.Accepted, reply.ToString());
        return reply.Data.GetProperty("run_id").GetString()!;
    }

    [Fact]
    public async Task Five_contracts_with_a_diamond_all_complete_and_a_dependent_names_its_dependencies_types()
    {
        // Subscribed before the run starts: the stream must deliver what the log holds, in order.
        var runId = Guid.CreateVersion7();
        var received = new List<RunSignal>();
        var streams = service.Services.GetRequiredService<IClusterClient>().GetStreamProvider(RunSignals.Provider);
        var subscription = await streams.GetStream<RunSignal>(StreamId.Create(RunSignals.Namespace, runId)).SubscribeAsync((signal, _) =>
        {
            lock (received) received.Add(signal);
            return Task.CompletedTask;
        });
        await StartAsync(new
        {
            run_id = runId.ToString(),
            strategy = "template",
            contracts = new[]
            {
                Contract("report", "sales_report", ["orders", "invoices"]),
                Contract("orders", "order_store", ["customers"]),
                Contract("invoices", "invoice_store", ["customers"]),
                Contract("customers", "customer_store"),
                Contract("audit", "audit_log"),
            },
        });
        var run = await FinishedAsync(runId.ToString());
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.All(run.GetProperty("contracts").EnumerateArray(), c => Assert.Equal("completed", c.GetProperty("status").GetString()));
        Assert.Equal(["parse_contract", "generate_model", "generate_validator", "generate_test", "validate_quality", "package_node"],
            run.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.All(run.GetProperty("stages").EnumerateArray(), s => Assert.Equal("completed", s.GetProperty("status").GetString()));
        Assert.True(run.GetProperty("speedup").GetDouble() > 0);

        var zip = await http.GetAsync($"{Runs}/{runId}/package.zip");
        Assert.Equal(HttpStatusCode.OK, zip.StatusCode);
        using var archive = new ZipArchive(await zip.Content.ReadAsStreamAsync());
        Assert.Equal(["audit", "customers", "invoices", "orders", "report"], archive.Entries.Select(e => e.FullName.Split('/')[0]).Distinct().Order());
        string Read(string path)
        {
            using var reader = new StreamReader(archive.GetEntry(path)!.Open());
            return reader.ReadToEnd();
        }
        // The dependent's request model names the response models of its dependencies, direct and transitive.
        var report = Read("report/models/model_request.py");
        Assert.Contains("from orders.models.model_response import ModelOrderStoreResponse", report);
        Assert.Contains("invoices_response: ModelInvoiceStoreResponse | None = None", report);
        Assert.Contains("ModelCustomerStoreResponse", report);
        Assert.DoesNotContain("TYPE_CHECKING", Read("customers/models/model_request.py"));

        // Signals: seq from 1 without a gap, a step's start and end once each, and every one on the stream too.
        var signals = (await http.GetReplyAsync($"{Runs}/{runId}/signals")).Data.GetProperty("signals").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, signals.Count).Select(i => (long)i), signals.Select(s => s.GetProperty("seq").GetInt64()));
        foreach (var type in new[] { "agent_initialized", "agent_completed" })
        {
            var steps = signals.Where(s => s.GetProperty("signal_type").GetString() == type)
                .Select(s => (s.GetProperty("data").GetProperty("contract").GetString(), s.GetProperty("data").GetProperty("stage").GetString())).ToList();
            Assert.Equal(5 * 6, steps.Count);
            Assert.Equal(steps.Count, steps.Distinct().Count());
        }
        Assert.Equal(6, signals.Count(s => s.GetProperty("signal_type").GetString() == "stage_completed"));
        Assert.Contains(signals, s => s.GetProperty("signal_type").GetString() == "dependency_resolved"
            && s.GetProperty("data").GetProperty("dependency_type").GetString() == "agent_completion");
        await Eventually.TrueAsync(() => { lock (received) return Task.FromResult(received.Count >= signals.Count); }, "the stream delivers every signal");
        lock (received) Assert.Equal(signals.Select(s => s.GetProperty("seq").GetInt64()), received.Select(s => s.Seq));
        await subscription.UnsubscribeAsync();

        // Replay from any sequence number: exactly the signals after it, none missing.
        foreach (var after in new[] { 0, 1, signals.Count / 2, signals.Count - 1, signals.Count })
        {
            var replay = (await http.GetReplyAsync($"{Runs}/{runId}/signals?after_seq={after}")).Data.GetProperty("signals").EnumerateArray()
                .Select(s => s.GetProperty("seq").GetInt64()).ToList();
            Assert.Equal(Enumerable.Range(after + 1, signals.Count - after).Select(i => (long)i), replay);
        }
        var completedOnly = (await http.GetReplyAsync($"{Runs}/{runId}/signals?type=stage_completed")).Data.GetProperty("signals").EnumerateArray();
        Assert.All(completedOnly, s => Assert.Equal("stage_completed", s.GetProperty("signal_type").GetString()));

        // The router decided after every step.
        var routing = (await http.GetReplyAsync($"{Runs}/{runId}/routing")).Data.GetProperty("decisions").EnumerateArray().ToList();
        Assert.Equal(5 * 6, routing.Count);
        Assert.All(routing.Where(d => d.GetProperty("after_stage").GetString() == "package_node"), d => Assert.Equal("end", d.GetProperty("decision").GetString()));
    }

    [Fact]
    public async Task A_contract_alone_in_a_run_gets_the_package_generate_makes_for_the_same_requirements()
    {
        var requirements = Requirements("ledger_sync", operations: ["sync", "verify"], description: "Synchronises ledgers");
        var runId = await StartAsync(new { strategy = "template", contracts = new[] { Contract("ledger", "ledger_sync", requirements: requirements) } });
        var run = await FinishedAsync(runId);
        Assert.Equal("completed", run.GetProperty("status").GetString());
        var generated = await http.PostJsonAsync(Generate, new { requirements, strategy = "template" });
        Assert.Equal(HttpStatusCode.OK, generated.Status);

        var zip = await http.GetAsync($"{Runs}/{runId}/package.zip");
        using var archive = new ZipArchive(await zip.Content.ReadAsStreamAsync());
        var files = generated.Data.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(files.Count, archive.Entries.Count);
        foreach (var file in files)
        {
            using var reader = new StreamReader(archive.GetEntry("ledger/" + file.GetProperty("path").GetString())!.Open());
            Assert.Equal(file.GetProperty("content").GetString(), reader.ReadToEnd());
        }

        // And the same verdict: the run validates the package as it ships (its README included), as /generate does.
        var contract = run.GetProperty("contracts")[0];
        Assert.True(generated.Data.GetProperty("validation_passed").GetBoolean(), generated.Data.GetProperty("validation_errors").ToString());
        Assert.True(contract.GetProperty("validation_passed").GetBoolean(), contract.ToString());
    }

    [Fact]
    public async Task Six_independent_contracts_are_validated_by_one_python_process()
    {
        // What makes a run faster than the same contracts one after another on two cores: the validation steps of all
        // its contracts share one python3 (started at nice 10), instead of one each, or several side by side.
        var python = service.Services.GetRequiredService<PythonSyntax>();
        var before = python.ProcessesStarted;
        var runId = await StartAsync(new
        {
            strategy = "template",
            contracts = Enumerable.Range(0, 6).Select(i => Contract($"part_{i}", $"part_{i}_store")).ToArray(),
        });
        var run = await FinishedAsync(runId);
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(1, python.ProcessesStarted - before);
        var validation = run.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "validate_quality");
        Assert.Equal(6, validation.GetProperty("steps").GetArrayLength());
    }

    [Fact]
    public async Task A_cycle_is_refused_naming_its_path()
    {
        var reply = await http.PostJsonAsync(Runs, new
        {
            contracts = new[] { Contract("alpha", "alpha_node", ["gamma"]), Contract("beta", "beta_node", ["alpha"]), Contract("gamma", "gamma_node", ["beta"]), Contract("delta", "delta_node") },
        });
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("VALIDATION_ERROR", reply.Text);
        Assert.Contains("alpha -> gamma -> beta -> alpha", reply.Text);

        var unknown = await http.PostJsonAsync(Runs, new { contracts = new[] { Contract("alpha", "alpha_node", ["nowhere"]) } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Contains("'nowhere' is not a contract of this run", unknown.Text);
    }

    [Fact]
    public async Task A_failing_contract_fails_only_its_dependents()
    {
        var broken = new { node_type = "gadget", service_name = "broken_node", domain = "testing", business_description = "Broken", operations = new[] { "run" } };
        var runId = await StartAsync(new
        {
            strategy = "template",
            contracts = new[]
            {
                Contract("broken", "broken_node", requirements: broken),
                Contract("middle", "middle_node", ["broken"]),
                Contract("top", "top_node", ["middle"]),
                Contract("apart", "apart_node"),
            },
        });
        var run = await FinishedAsync(runId);
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Equal("VALIDATION_ERROR", ContractOf(run, "broken").GetProperty("error_code").GetString());
        Assert.Equal("DEPENDENCY_FAILED", ContractOf(run, "middle").GetProperty("error_code").GetString());
        Assert.Equal("DEPENDENCY_FAILED", ContractOf(run, "top").GetProperty("error_code").GetString());
        Assert.Equal("completed", ContractOf(run, "apart").GetProperty("status").GetString());

        var zip = await http.GetAsync($"{Runs}/{runId}/package.zip");
        using var archive = new ZipArchive(await zip.Content.ReadAsStreamAsync());
        Assert.Equal(["apart"], archive.Entries.Select(e => e.FullName.Split('/')[0]).Distinct());
    }

    [Fact]
    public async Task A_quality_gate_above_the_score_stops_the_package_and_one_below_lets_it_through()
    {
        var runId = await StartAsync(new
        {
            strategy = "template",
            contracts = new[]
            {
                Contract("gated", "gated_node", gates: [new { type = "quality_gate", threshold = 1.0 }]),
                Contract("open", "open_node", gates: [new { type = "quality_gate", threshold = 0.5 }]),
                Contract("after", "after_node", ["gated"]),
            },
        });
        var run = await FinishedAsync(runId);
        var gated = ContractOf(run, "gated");
        Assert.True(gated.GetProperty("quality_score").GetDouble() < 1.0, gated.ToString());
        Assert.Equal("QUALITY_GATE_FAILED", gated.GetProperty("error_code").GetString());
        Assert.Equal("completed", ContractOf(run, "open").GetProperty("status").GetString());
        Assert.Equal("DEPENDENCY_FAILED", ContractOf(run, "after").GetProperty("error_code").GetString());
        var package = run.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "package_node");
        Assert.Equal("skipped", package.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("contract").GetString() == "gated").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_repeated_run_id_answers_the_existing_run_and_an_unknown_one_is_404()
    {
        var runId = Guid.CreateVersion7().ToString();
        await StartAsync(new { run_id = runId, strategy = "template", contracts = new[] { Contract("first", "first_node") } });
        var again = await http.PostJsonAsync(Runs, new { run_id = runId, contracts = new[] { Contract("other", "other_node"), Contract("more", "more_node") } });
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(["first"], again.Data.GetProperty("contracts").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        await FinishedAsync(runId);

        var missing = await http.GetReplyAsync($"{Runs}/{Guid.CreateVersion7()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Contains("RUN_NOT_FOUND", missing.Text);
    }

    [Fact]
    public async Task A_cancelled_run_ends_cancelled_with_its_unstarted_contracts()
    {
        // A chain: each contract waits for the one before it, so most have not started when the cancel arrives.
        var chain = Enumerable.Range(0, 8).Select(i => Contract($"link_{i}", $"link_node_{i}", i == 0 ? null : [$"link_{i - 1}"])).ToArray();
        var runId = await StartAsync(new { strategy = "template", contracts = chain });
        var cancel = await http.PostJsonAsync($"{Runs}/{runId}/cancel", new { });
        Assert.Equal(HttpStatusCode.OK, cancel.Status);
        var run = await FinishedAsync(runId);
        Assert.Equal("cancelled", run.GetProperty("status").GetString());
        Assert.Equal("CANCELLED", ContractOf(run, "link_7").GetProperty("error_code").GetString());
    }
}
