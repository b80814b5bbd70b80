using System.Net;
using System.Text.Json;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Api;

/// <summary>A silo whose workflow analyzer is a model server on loopback, with a 1.5 s deadline.</summary>
public sealed class AnalyzedService : IAsyncLifetime
{
    public const int DeadlineMs = 1500;
    public ModelServer Model { get; private set; } = null!;
    public SiloApp Silo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Model = await ModelServer.StartAsync(ModelReply.Failing);
        Silo = new ConfiguredSilo(new Dictionary<string, string>
        {
            ["WORKFLOW_INTELLIGENCE_ENDPOINT"] = Model.BaseAddress,
            ["WORKFLOW_INTELLIGENCE_MODEL"] = "analyst",
            ["WORKFLOW_INTELLIGENCE_DEADLINE_MS"] = DeadlineMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await Silo.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        await Model.DisposeAsync();
    }
}

/// <summary>docs/intelligence.md, "Workflow intelligence": enable_intelligence asks the configured model about each item, within the deadline.</summary>
public sealed class WorkflowIntelligenceTests(AnalyzedService service) : IClassFixture<AnalyzedService>
{
    HttpClient Http => service.Silo.Http;

    async Task<JsonElement> RunAsync(string ns, bool intelligence = true)
    {
        var started = await Http.PostJsonAsync("/api/v1/workflows", new
        {
            @namespace = ns,
            enable_intelligence = intelligence,
            items = new[] { new { content = "def add(a, b):\n    return a + b\n" }, new { content = "SELECT 1;" } },
        });
        Assert.True(started.Status == HttpStatusCode.Accepted, started.ToString());
        var id = started.Data.GetProperty("workflow_id").GetString();
        JsonElement workflow = default;
        await Eventually.TrueAsync(async () => (workflow = (await Http.GetReplyAsync($"/api/v1/workflows/{id}")).Data).GetProperty("state").GetString() is "completed" or "failed",
            "the workflow ends", TimeSpan.FromSeconds(60));
        Assert.Equal("completed", workflow.GetProperty("state").GetString());
        return workflow;
    }

    static JsonElement Step(JsonElement workflow) => workflow.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "intelligence");

    static List<JsonElement> Records(JsonElement workflow) => [.. workflow.GetProperty("results").EnumerateArray()];

    [Fact]
    public async Task The_models_analysis_lands_in_each_records_intelligence_data()
    {
        service.Model.Reply = new ModelReply("```json\n{\"language\": \"guessed\", \"topics\": [\"arithmetic\"]}\n```");
        var workflow = await RunAsync("tests.intelligence.ok");

        Assert.Equal("succeeded", Step(workflow).GetProperty("status").GetString());
        Assert.All(Records(workflow), r => Assert.Equal("guessed", r.GetProperty("intelligence_data").GetProperty("analysis").GetProperty("language").GetString()));
        Assert.Contains(service.Model.Prompts, p => p.Contains("SELECT 1;", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("failing", "the endpoint answered 500")]
    [InlineData("prose", "is not a JSON object")]
    [InlineData("array", "is not a JSON object")]
    [InlineData("too deep", "cannot be stored")]
    [InlineData("too big", "cannot be stored")]
    public async Task A_failing_or_unusable_answer_degrades_the_step_and_the_records_are_still_stamped(string behaviour, string reason)
    {
        service.Model.Reply = behaviour switch
        {
            "failing" => ModelReply.Failing,
            "prose" => new ModelReply("These look like code."),
            "array" => new ModelReply("[1, 2]"),
            "too deep" => new ModelReply(string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 40)),
            _ => new ModelReply(JsonSerializer.Serialize(new { blob = new string('x', 70 * 1024) })),
        };
        var workflow = await RunAsync("tests.intelligence." + behaviour.Replace(' ', '_'));

        var step = Step(workflow);
        Assert.Equal("degraded", step.GetProperty("status").GetString());
        Assert.Contains(reason, step.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, Records(workflow).Count);
        Assert.All(Records(workflow), r => Assert.False(r.GetProperty("intelligence_data").TryGetProperty("analysis", out _)));
    }

    [Fact]
    public async Task A_model_slower_than_the_deadline_degrades_the_step_at_the_deadline()
    {
        service.Model.Reply = ModelReply.Hanging;
        var workflow = await RunAsync("tests.intelligence.slow");

        var step = Step(workflow);
        Assert.Equal("degraded", step.GetProperty("status").GetString());
        Assert.Equal($"no answer within {AnalyzedService.DeadlineMs} ms", step.GetProperty("error").GetString());
        // The step's duration is read off the grain's clock, the deadline by a timer: allow the clocks' few milliseconds apart.
        Assert.True(step.GetProperty("duration_ms").GetDouble() >= AnalyzedService.DeadlineMs * 0.98, step.ToString());
        Assert.Equal(2, Records(workflow).Count);
    }

    [Fact]
    public async Task Without_enable_intelligence_the_model_is_not_asked()
    {
        var before = service.Model.Requests;
        var workflow = await RunAsync("tests.intelligence.off", intelligence: false);
        Assert.Equal("skipped", Step(workflow).GetProperty("status").GetString());
        Assert.Equal(before, service.Model.Requests);
    }
}

/// <summary>docs/intelligence.md, "Workflow intelligence": with no model configured the step is skipped, saying why.</summary>
[Collection(SharedService.Name)]
public sealed class UnconfiguredIntelligenceTests(SiloApp service)
{
    [Fact]
    public async Task With_no_model_configured_the_intelligence_step_is_skipped()
    {
        var started = await service.Http.PostJsonAsync("/api/v1/workflows", new { @namespace = "tests.intelligence.none", enable_intelligence = true, items = new[] { new { content = "x" } } });
        Assert.Equal(HttpStatusCode.Accepted, started.Status);
        var id = started.Data.GetProperty("workflow_id").GetString();
        JsonElement workflow = default;
        await Eventually.TrueAsync(async () => (workflow = (await service.Http.GetReplyAsync($"/api/v1/workflows/{id}")).Data).GetProperty("state").GetString() == "completed", "the workflow completes");
        var step = workflow.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "intelligence");
        Assert.Equal("skipped", step.GetProperty("status").GetString());
        Assert.Equal("no intelligence service is configured", step.GetProperty("error").GetString());
    }
}
