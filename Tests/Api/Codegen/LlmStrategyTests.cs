using System.Net;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Tests.Fixtures;
using OmniBridge.Tests.Grains.Codegen;
using static OmniBridge.Tests.Api.Codegen.CodegenRequestBodies;

namespace OmniBridge.Tests.Api.Codegen;

/// <summary>A service whose llm and hybrid strategies talk to an in-test OpenAI-compatible endpoint.</summary>
public sealed class LlmService : IAsyncLifetime
{
    public const string ApiKey = "test-llm-key-not-a-secret";
    public FakeChatEndpoint Model { get; private set; } = null!;
    public SiloApp Silo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Model = await FakeChatEndpoint.StartAsync();
        Silo = new ConfiguredSilo(new Dictionary<string, string>
        {
            ["CODEGEN_LLM_ENDPOINT"] = Model.BaseAddress,
            ["CODEGEN_LLM_MODEL"] = "test-model",
            ["CODEGEN_LLM_API_KEY"] = ApiKey,
        });
        await Silo.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        await Model.DisposeAsync();
    }
}

/// <summary>docs/protocol.md, "Code generation" strategies llm, hybrid and auto against a model that speaks the OpenAI chat protocol.</summary>
public sealed class LlmStrategyTests(LlmService service) : IClassFixture<LlmService>
{
    HttpClient Http => service.Silo.Http;

    static IReadOnlyList<GeneratedFile> TemplatePackage(string serviceName, string nodeType = "effect") =>
        new CodegenKit().Render(new NodeRequirements
        {
            NodeType = nodeType, ServiceName = serviceName, Domain = "database", BusinessDescription = "User CRUD operations with PostgreSQL and automatic retry",
            Operations = ["create", "read", "update", "delete", "list"], Features = ["connection pooling", "metrics"],
            Dependencies = new Dictionary<string, string> { ["asyncpg"] = ">=0.29" },
            PerformanceRequirements = new Dictionary<string, string> { ["max_latency_ms"] = "50", ["strict"] = "true" },
            DataModels = [new DataModelSpec("user", [new DataFieldSpec("user_id", "str"), new DataFieldSpec("age", "int")])],
        });

    static string Content(Reply reply, string path) =>
        reply.Data.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("path").GetString() == path).GetProperty("content").GetString()!;

    [Fact]
    public async Task The_llm_strategy_takes_the_models_package_validates_it_and_asks_with_the_configured_model_and_key()
    {
        var package = TemplatePackage("model_made");
        service.Model.Answer = (_, _) => FakeChatEndpoint.Files([.. package.Select(f => (f.Path, f.Path == "node.py" ? "# written by the model\n" + f.Content : f.Content)),
            ("../../etc/passwd", "not a package file")]);
        var reply = await Http.PostJsonAsync(Generate, new { requirements = Requirements("model_made"), strategy = "llm", validation_level = "strict" });

        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        Assert.Equal("llm", reply.Data.GetProperty("strategy_used").GetString());
        Assert.True(reply.Data.GetProperty("validation_passed").GetBoolean(), reply.Data.GetProperty("validation_errors").ToString());
        Assert.StartsWith("# written by the model", Content(reply, "node.py"), StringComparison.Ordinal);
        Assert.Equal(11, reply.Data.GetProperty("files").GetArrayLength());
        var (authorization, body) = service.Model.Requests.Last();
        Assert.Equal($"Bearer {LlmService.ApiKey}", authorization);
        Assert.Equal("test-model", body["model"]!.GetValue<string>());
        Assert.Contains("model_made", body["messages"]![1]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_llm_package_that_fails_validation_is_reported_as_such()
    {
        service.Model.Answer = (_, _) => FakeChatEndpoint.Files(("node.py", "import subprocess\ndef broken(:\n"), ("contract.yaml", "name: [unclosed"));
        var reply = await Http.PostJsonAsync(Generate, new { requirements = Requirements("model_broke"), strategy = "llm", validation_level = "strict" });
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.False(reply.Data.GetProperty("validation_passed").GetBoolean());
        var errors = reply.Data.GetProperty("validation_errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(errors, e => e.StartsWith("node.py:2:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("contract.yaml: not valid YAML", StringComparison.Ordinal));
        Assert.Contains(errors, e => e == "README.md: missing from the package");
        Assert.Contains(errors, e => e.Contains("import subprocess", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hybrid_keeps_a_refinement_that_validates_and_drops_one_that_does_not()
    {
        service.Model.Answer = (_, user) => FakeChatEndpoint.Files(("node.py", "# refined by the model\n" + TemplatePackage("refined_ok").Single(f => f.Path == "node.py").Content));
        var refined = await Http.PostJsonAsync(Generate, new { requirements = Requirements("refined_ok"), strategy = "hybrid" });
        Assert.Equal("hybrid", refined.Data.GetProperty("strategy_used").GetString());
        Assert.True(refined.Data.GetProperty("validation_passed").GetBoolean());
        Assert.StartsWith("# refined by the model", Content(refined, "node.py"), StringComparison.Ordinal);

        service.Model.Answer = (_, _) => FakeChatEndpoint.Files(("node.py", "class Oops(:\n"));
        var dropped = await Http.PostJsonAsync(Generate, new { requirements = Requirements("refined_bad"), strategy = "hybrid" });
        Assert.True(dropped.Data.GetProperty("validation_passed").GetBoolean(), dropped.ToString());
        Assert.Contains("class NodeRefinedBadEffect", Content(dropped, "node.py"), StringComparison.Ordinal);
        Assert.Contains(dropped.Data.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("refinement was dropped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_the_model_is_down_llm_is_a_503_and_hybrid_falls_back_to_the_template()
    {
        service.Model.Answer = (_, _) => null;
        var llm = await Http.PostJsonAsync(Generate, new { requirements = Requirements("model_down"), strategy = "llm" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, llm.Status);
        Assert.Equal("DEPENDENCY_UNAVAILABLE", llm.ErrorCode);
        Assert.NotNull(llm.Response.Headers.RetryAfter);

        var hybrid = await Http.PostJsonAsync(Generate, new { requirements = Requirements("model_down_hybrid"), strategy = "hybrid" });
        Assert.Equal(HttpStatusCode.OK, hybrid.Status);
        Assert.Equal("hybrid", hybrid.Data.GetProperty("strategy_used").GetString());
        Assert.True(hybrid.Data.GetProperty("validation_passed").GetBoolean());
        Assert.Contains(hybrid.Data.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("refinement was skipped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Auto_chooses_hybrid_for_complex_nodes_and_template_for_simple_ones_when_a_model_is_there()
    {
        service.Model.Answer = (_, _) => null;
        var simple = await Http.PostJsonAsync(Generate, new { requirements = Requirements("simple_auto", "effect", ["create"]) });
        Assert.Equal("template", simple.Data.GetProperty("strategy_used").GetString());
        var complex = await Http.PostJsonAsync(Generate, new
        {
            requirements = Requirements("complex_auto", "orchestrator", ["plan", "dispatch", "collect"], description: "Coordinates a multi-step review workflow"),
        });
        Assert.Equal("hybrid", complex.Data.GetProperty("strategy_used").GetString());
    }
}
