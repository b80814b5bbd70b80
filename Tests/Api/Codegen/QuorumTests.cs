using System.Net;
using System.Text.Json;
using OmniBridge.Tests.Fixtures;
using static OmniBridge.Tests.Api.Codegen.CodegenRequestBodies;

namespace OmniBridge.Tests.Api.Codegen;

/// <summary>
/// A silo whose AI quorum is six model servers on loopback: two that vote, one that answers inside a Markdown fence, one
/// failing with HTTP 500, one answering prose, one slower than its own timeout and one that never answers (so every vote
/// ends at the deadline).
/// </summary>
public sealed class QuorumService : IAsyncLifetime
{
    public const double DeadlineSeconds = 3;
    public const string KeyVariable = "OMNIBRIDGE_TEST_QUORUM_KEY";
    public Dictionary<string, ModelServer> Models { get; } = [];
    public SiloApp Silo { get; private set; } = null!;

    // id, weight, timeout (s), the server's default answer
    static readonly (string Id, double Weight, double Timeout, ModelReply Reply)[] Panel =
    [
        ("steady", 3, 30, ModelReply.Vote(true, 0.9)),
        ("fenced", 2, 30, Fenced(true, 0.6)),
        ("broken", 1, 30, ModelReply.Failing),
        ("garbled", 1, 30, new ModelReply("Looks fine to me, ship it.")),
        ("slow", 2, 1, ModelReply.Vote(true, 1, delay: TimeSpan.FromSeconds(20))),
        ("hanging", 1.5, 60, ModelReply.Hanging),
    ];

    public static ModelReply Fenced(bool pass, double confidence) =>
        new($"Here is my review.\n```json\n{{\"vote\": {(pass ? "true" : "false")}, \"confidence\": {confidence.ToString(System.Globalization.CultureInfo.InvariantCulture)}, \"reasoning\": \"in a fence\"}}\n```\nThanks!");

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string>
        {
            ["Codegen:Quorum:Threshold"] = "0.6",
            ["Codegen:Quorum:MinParticipatingWeight"] = "3",
            ["Codegen:Quorum:DeadlineSeconds"] = DeadlineSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [KeyVariable] = "quorum-key-not-a-secret",
        };
        for (var i = 0; i < Panel.Length; i++)
        {
            var (id, weight, timeout, reply) = Panel[i];
            var server = await ModelServer.StartAsync(reply);
            Models[id] = server;
            settings[$"Codegen:Quorum:Models:{i}:Id"] = id;
            settings[$"Codegen:Quorum:Models:{i}:Model"] = id + "-model";
            settings[$"Codegen:Quorum:Models:{i}:Endpoint"] = server.BaseAddress;
            settings[$"Codegen:Quorum:Models:{i}:ApiKeyEnv"] = KeyVariable;
            settings[$"Codegen:Quorum:Models:{i}:Weight"] = weight.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings[$"Codegen:Quorum:Models:{i}:TimeoutSeconds"] = timeout.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        Silo = new ConfiguredSilo(settings);
        await Silo.InitializeAsync();
    }

    public void Reset()
    {
        foreach (var (id, _, _, reply) in Panel) Models[id].Reply = reply;
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        foreach (var model in Models.Values) await model.DisposeAsync();
    }
}

/// <summary>docs/intelligence.md, "AI quorum": the consensus rule, participation, the deadline and where verdicts appear.</summary>
public sealed class QuorumTests : IClassFixture<QuorumService>
{
    readonly QuorumService service;
    HttpClient Http => service.Silo.Http;

    public QuorumTests(QuorumService service)
    {
        this.service = service;
        service.Reset();
    }

    static JsonElement Vote(JsonElement quorum, string modelId) =>
        quorum.GetProperty("votes").EnumerateArray().Single(v => v.GetProperty("model_id").GetString() == modelId);

    static string? Error(JsonElement quorum, string modelId) => Vote(quorum, modelId).GetProperty("error").GetString();

    async Task<Reply> GenerateAsync(string serviceName, object? quorum)
    {
        var reply = await Http.PostJsonAsync(Generate, new { requirements = Requirements(serviceName), strategy = "template", quorum });
        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        return reply;
    }

    [Fact]
    public async Task Every_model_votes_at_once_and_the_consensus_weighs_only_the_models_that_answered()
    {
        var reply = await GenerateAsync("quorum_consensus", new { enabled = true });
        var quorum = reply.Data.GetProperty("quorum");

        // (3 × 0.9 + 2 × 0.6) / (3 + 2): the failing, prose, slow and hanging models are out of both sums.
        Assert.Equal(0.78, quorum.GetProperty("consensus").GetDouble());
        Assert.Equal("passed", quorum.GetProperty("status").GetString());
        Assert.True(quorum.GetProperty("passed").GetBoolean());
        Assert.Equal(5, quorum.GetProperty("participating_weight").GetDouble());
        Assert.Equal(10.5, quorum.GetProperty("total_weight").GetDouble());
        Assert.Equal(0.6, quorum.GetProperty("threshold").GetDouble());
        Assert.True(reply.Data.GetProperty("validation_passed").GetBoolean(), reply.Data.GetProperty("validation_errors").ToString());

        var participating = quorum.GetProperty("votes").EnumerateArray().Where(v => v.GetProperty("participating").GetBoolean())
            .Select(v => v.GetProperty("model_id").GetString()).Order().ToList();
        Assert.Equal(["fenced", "steady"], participating);
        Assert.Equal(0.6, Vote(quorum, "fenced").GetProperty("confidence").GetDouble());
        Assert.Equal("in a fence", Vote(quorum, "fenced").GetProperty("reasoning").GetString());
        Assert.Null(Error(quorum, "steady"));
        Assert.Equal("the endpoint answered 500", Error(quorum, "broken"));
        Assert.StartsWith("unreadable answer: the answer is not a JSON object", Error(quorum, "garbled"), StringComparison.Ordinal);
        Assert.Equal("no answer within 1 s", Error(quorum, "slow"));
        Assert.StartsWith("no answer before the quorum's deadline of 3 s", Error(quorum, "hanging"), StringComparison.Ordinal);
        Assert.All(new[] { "broken", "garbled", "slow", "hanging" }, id => Assert.Equal(JsonValueKind.Null, Vote(quorum, id).GetProperty("vote").ValueKind));

        // The hanging model held the verdict until the deadline, and no longer: it was cancelled there. (The deadline is a
        // timer, the durations a stopwatch: a timer may fire a few milliseconds early by the stopwatch.)
        var deadlineMs = QuorumService.DeadlineSeconds * 1000 - 20;
        Assert.True(quorum.GetProperty("duration_ms").GetDouble() >= deadlineMs, quorum.ToString());
        Assert.True(Vote(quorum, "hanging").GetProperty("duration_ms").GetDouble() >= deadlineMs);
        Assert.True(Vote(quorum, "steady").GetProperty("duration_ms").GetDouble() < QuorumService.DeadlineSeconds * 1000);

        // Each model was shown the node: its class, its code and the criteria.
        var prompt = service.Models["steady"].LastPrompt!;
        Assert.Contains("NodeQuorumConsensusEffect", prompt, StringComparison.Ordinal);
        Assert.Contains("Code (node.py)", prompt, StringComparison.Ordinal);
        Assert.Contains("Validation criteria", prompt, StringComparison.Ordinal);

        // The session shows the same verdict.
        var session = await Http.GetReplyAsync($"{Sessions}/{reply.Data.GetProperty("session_id").GetString()}");
        Assert.Equal(quorum.ToString(), session.Data.GetProperty("result").GetProperty("quorum").ToString());
    }

    [Fact]
    public async Task A_vote_below_the_threshold_fails_the_packages_validation()
    {
        service.Models["fenced"].Reply = QuorumService.Fenced(false, 0.7);
        var reply = await GenerateAsync("quorum_rejected", new { enabled = true });
        var quorum = reply.Data.GetProperty("quorum");

        // A fail vote adds its weight to the denominator only: 3 × 0.9 / 5.
        Assert.Equal(0.54, quorum.GetProperty("consensus").GetDouble());
        Assert.Equal("failed", quorum.GetProperty("status").GetString());
        Assert.False(quorum.GetProperty("passed").GetBoolean());
        Assert.False(Vote(quorum, "fenced").GetProperty("vote").GetBoolean());
        Assert.False(reply.Data.GetProperty("validation_passed").GetBoolean());
        Assert.Contains("ai_quorum: consensus 0.54 is below the threshold 0.6",
            reply.Data.GetProperty("validation_errors").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Too_little_weight_answering_is_quorum_unavailable_which_fails_only_a_request_that_requires_the_quorum()
    {
        service.Models["steady"].Reply = ModelReply.Failing;
        var optional = await GenerateAsync("quorum_optional", new { enabled = true });
        var quorum = optional.Data.GetProperty("quorum");
        Assert.Equal("quorum_unavailable", quorum.GetProperty("status").GetString());
        Assert.Equal(2, quorum.GetProperty("participating_weight").GetDouble());
        Assert.Equal(0.6, quorum.GetProperty("consensus").GetDouble());
        Assert.False(quorum.GetProperty("passed").GetBoolean());
        Assert.True(optional.Data.GetProperty("validation_passed").GetBoolean());
        Assert.Contains(optional.Data.GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith("ai_quorum: quorum_unavailable", StringComparison.Ordinal));

        var required = await GenerateAsync("quorum_required", new { enabled = true, required = true });
        Assert.Equal("quorum_unavailable", required.Data.GetProperty("quorum").GetProperty("status").GetString());
        Assert.False(required.Data.GetProperty("validation_passed").GetBoolean());
        Assert.Contains(required.Data.GetProperty("validation_errors").EnumerateArray(), e => e.GetString()!.Contains("quorum.required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_the_quorum_asked_for_no_model_is_called_and_no_verdict_shown()
    {
        var before = service.Models["steady"].Requests;
        var reply = await GenerateAsync("quorum_off", null);
        Assert.Equal(JsonValueKind.Null, reply.Data.GetProperty("quorum").ValueKind);
        var off = await GenerateAsync("quorum_disabled", new { enabled = false, required = true });
        Assert.Equal(JsonValueKind.Null, off.Data.GetProperty("quorum").ValueKind);
        Assert.Equal(before, service.Models["steady"].Requests);
    }

    [Fact]
    public async Task Each_run_contract_carries_its_verdict()
    {
        var reply = await Http.PostJsonAsync("/api/v1/codegen/runs", new
        {
            strategy = "template",
            quorum = new { enabled = true },
            contracts = new[]
            {
                new { name = "ledger", requirements = Requirements("quorum_ledger", operations: ["create", "read"]), depends_on = Array.Empty<string>() },
                new { name = "report", requirements = Requirements("quorum_report", operations: ["read"]), depends_on = new[] { "ledger" } },
            },
        });
        Assert.True(reply.Status == HttpStatusCode.Accepted, reply.ToString());
        var runId = reply.Data.GetProperty("run_id").GetString();
        JsonElement run = default;
        await Eventually.TrueAsync(async () => (run = (await Http.GetReplyAsync($"/api/v1/codegen/runs/{runId}")).Data).GetProperty("status").GetString() is "completed" or "failed",
            "the run finishes", TimeSpan.FromSeconds(90));

        Assert.Equal("completed", run.GetProperty("status").GetString());
        foreach (var contract in run.GetProperty("contracts").EnumerateArray())
        {
            var quorum = contract.GetProperty("quorum");
            Assert.Equal("passed", quorum.GetProperty("status").GetString());
            Assert.Equal(0.78, quorum.GetProperty("consensus").GetDouble());
            Assert.Equal(6, quorum.GetProperty("votes").GetArrayLength());
            // A passed vote adds nothing to the validation errors: the package passes as /generate's does.
            Assert.Empty(contract.GetProperty("validation_errors").EnumerateArray());
            Assert.True(contract.GetProperty("validation_passed").GetBoolean(), contract.ToString());
        }
    }

    [Theory]
    [InlineData("true", "quorum")]
    [InlineData("[]", "quorum")]
    [InlineData("""{"enabled": "yes"}""", "quorum.enabled")]
    [InlineData("""{"enabled": true, "required": 1}""", "quorum.required")]
    [InlineData("""{"enabled": true, "minimum": 2}""", "quorum.minimum")]
    public async Task A_quorum_field_that_is_not_enabled_and_required_booleans_is_refused(string quorum, string field)
    {
        var before = service.Models["steady"].Requests;
        var bodies = new Dictionary<string, string>
        {
            [Generate] = $$"""{"requirements": {{JsonSerializer.Serialize(Requirements("quorum_refused"))}}, "quorum": {{quorum}}}""",
            ["/api/v1/codegen/runs"] = $$"""{"contracts": [{"name": "one", "requirements": {{JsonSerializer.Serialize(Requirements("quorum_refused_run"))}}}], "quorum": {{quorum}}}""",
        };
        foreach (var (path, body) in bodies)
        {
            var reply = await Http.PostRawAsync(path, body, "application/json");
            Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
            Assert.Equal("VALIDATION_ERROR", reply.ErrorCode);
            Assert.Equal(field, reply.ErrorField);
        }
        Assert.Equal(before, service.Models["steady"].Requests);
    }

    [Fact]
    public async Task Each_models_answer_time_is_a_prometheus_histogram_by_model_and_outcome()
    {
        await GenerateAsync("quorum_metrics", new { enabled = true });
        var scraped = "";
        await Eventually.TrueAsync(async () => (scraped = await Http.GetStringAsync("/metrics"))
            .Contains("omnibridge_codegen_quorum_model_duration_seconds_bucket{", StringComparison.Ordinal), "the histogram is scraped");
        foreach (var (id, outcome) in new[] { ("steady", "voted"), ("fenced", "voted"), ("broken", "failed"), ("garbled", "unreadable"), ("slow", "timeout"), ("hanging", "deadline") })
            Assert.Matches($@"(?m)^omnibridge_codegen_quorum_model_duration_seconds_count\{{[^}}]*model_id=""{id}""[^}}]*outcome=""{outcome}""[^}}]*\}} [1-9]", scraped);
        Assert.Matches(@"(?m)^omnibridge_codegen_quorum_verdicts_total\{[^}]*status=""passed""[^}]*\} [1-9]", scraped);
        Assert.Contains("omnibridge_codegen_quorum_consensus_bucket{", scraped, StringComparison.Ordinal);
    }
}

/// <summary>docs/intelligence.md, "AI quorum": a request may enable the quorum where no model is configured; it is told so.</summary>
[Collection(SharedService.Name)]
public sealed class UnconfiguredQuorumTests(SiloApp service)
{
    [Fact]
    public async Task Enabling_the_quorum_with_no_models_configured_is_quorum_unavailable_with_no_weight()
    {
        var reply = await service.Http.PostJsonAsync(Generate, new { requirements = Requirements("quorum_nobody"), strategy = "template", quorum = new { enabled = true } });
        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        var quorum = reply.Data.GetProperty("quorum");
        Assert.Equal("quorum_unavailable", quorum.GetProperty("status").GetString());
        Assert.Equal(0, quorum.GetProperty("total_weight").GetDouble());
        Assert.Equal(0, quorum.GetProperty("votes").GetArrayLength());
        Assert.True(reply.Data.GetProperty("validation_passed").GetBoolean());
    }
}
