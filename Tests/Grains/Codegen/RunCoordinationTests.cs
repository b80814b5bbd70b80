using System.Text.Json;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Codegen;
using OmniBridge.Grains.Codegen.Runs;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Interfaces.Codegen.Runs;

namespace OmniBridge.Tests.Grains.Codegen;

/// <summary>The pure parts of a run (docs/runs.md): the dependency graph, the router's merge, context packages, the batched Python check.</summary>
public sealed class RunCoordinationTests
{
    static NodeRequirements Node(string service, int operations = 2) => CodegenKit.Requirements("effect", service, $"The {service} node",
        [.. Enumerable.Range(0, operations).Select(i => $"op_{i}")]);

    static RunContract Contract(string name, params string[] dependsOn) => new() { Name = name, Requirements = Node(name + "_node"), DependsOn = dependsOn };

    static RouteState Step(bool succeeded = true, int priority = 50, string stage = PackageLayout.GenerateModel, string? errorCode = null, int attempts = 1) => new()
    {
        Contract = "orders", Stage = stage, NextStage = PackageLayout.GenerateValidator, Succeeded = succeeded, ErrorCode = errorCode,
        Error = succeeded ? null : "boom", Attempts = attempts, Priority = priority, FilesExpected = 3, FilesMade = succeeded ? 3 : 0,
        ReadyTogether = ["invoices"],
    };

    [Fact]
    public void The_cycle_is_found_and_named_by_its_path()
    {
        var cycle = RunGraph.FindCycle([Contract("a", "b"), Contract("b", "c"), Contract("c", "a"), Contract("d")]);
        Assert.Equal(["a", "b", "c", "a"], cycle);
        Assert.Null(RunGraph.FindCycle([Contract("a"), Contract("b", "a"), Contract("c", "a"), Contract("d", "b", "c")]));
        var refused = Assert.Throws<CodegenRequestException>(() => RunGraph.Of(new RunRequest { Contracts = [Contract("a", "b"), Contract("b", "a")] }));
        Assert.Contains("a -> b -> a", refused.Message);
    }

    [Fact]
    public void Upstream_holds_direct_and_transitive_dependencies_nearest_first()
    {
        var graph = RunGraph.Of(new RunRequest { Contracts = [Contract("top", "left", "right"), Contract("left", "base"), Contract("right", "base"), Contract("base")] });
        Assert.Equal(["left", "right", "base"], graph.Upstream("top"));
        Assert.Equal(["left", "right"], graph.Dependents("base").Order());
    }

    [Fact]
    public void Conditional_wins_when_a_rule_of_the_run_matches()
    {
        var router = new RunRouter([new RoutingRule { ConditionKey = "contract", Operator = "in", Value = """["orders","returns"]""", Decision = RouteDecisions.Skip, NextTask = PackageLayout.GenerateTest, Priority = 90 }]);
        var vote = router.Decide(Step(priority: 95));
        Assert.Equal((RouteStrategies.Conditional, RouteDecisions.Skip, PackageLayout.GenerateTest), (vote.Strategy, vote.Decision, vote.NextTask));
        // The same rule not matching leaves the decision to the others.
        Assert.NotEqual(RouteStrategies.Conditional, new RunRouter([new RoutingRule { ConditionKey = "contract", Operator = "==", Value = "\"other\"", Decision = RouteDecisions.Error }]).Decide(Step()).Strategy);
    }

    [Fact]
    public void State_analysis_wins_on_an_error_retrying_until_the_attempts_are_spent()
    {
        var router = new RunRouter([]);
        var retry = router.Decide(Step(succeeded: false, priority: 95, errorCode: "STEP_FAILED", attempts: 1));
        Assert.Equal((RouteStrategies.StateAnalysis, RouteDecisions.Retry), (retry.Strategy, retry.Decision));
        Assert.Equal(RouteDecisions.Error, router.Decide(Step(succeeded: false, errorCode: "STEP_FAILED", attempts: 3)).Decision);
        Assert.Equal(RouteDecisions.Error, router.Decide(Step(succeeded: false, errorCode: "VALIDATION_ERROR", attempts: 1)).Decision);
        var branch = router.Decide(Step() with { Strategy = CodegenStrategies.Llm, LanguageModelAvailable = false });
        Assert.Equal((RouteStrategies.StateAnalysis, RouteDecisions.Branch), (branch.Strategy, branch.Decision));
    }

    [Fact]
    public void Priority_wins_for_a_contract_marked_high_or_low_when_nothing_is_wrong()
    {
        var router = new RunRouter([]);
        Assert.Equal(RouteStrategies.Priority, router.Decide(Step(priority: 90)).Strategy);
        Assert.Equal(RouteStrategies.Priority, router.Decide(Step(priority: 10)).Strategy);
    }

    [Fact]
    public void Parallel_wins_for_an_ordinary_contract_naming_who_proceeds_with_it()
    {
        var vote = new RunRouter([]).Decide(Step(priority: 50));
        Assert.Equal((RouteStrategies.Parallel, RouteDecisions.Continue), (vote.Strategy, vote.Decision));
        Assert.Contains("invoices", vote.Reasoning);
        Assert.Equal(RouteDecisions.End, new RunRouter([]).Decide(Step() with { Stage = PackageLayout.PackageNode, NextStage = null }).Decision);
    }

    [Theory]
    [InlineData(">", "2", 3.0, true)]
    [InlineData("<=", "2", 3.0, false)]
    [InlineData("not_in", "[1,2]", 3.0, true)]
    [InlineData("contains", "\"err\"", "an error", true)]
    [InlineData("not_contains", "\"err\"", "fine", true)]
    [InlineData("!=", "\"a\"", "a", false)]
    public void Rule_operators_compare_as_documented(string op, string value, object actual, bool expected) =>
        Assert.Equal(expected, RunRouter.Matches(actual, op, JsonDocument.Parse(value).RootElement));

    [Fact]
    public void A_context_package_is_never_over_its_budget_and_drops_the_least_needed_first()
    {
        var contracts = Enumerable.Range(0, 40).Select(i => Contract($"dep_{i}", i == 0 ? [] : [$"dep_{i - 1}"])).ToList();
        var graph = RunGraph.Of(new RunRequest { Contracts = contracts });
        var full = new ContextPackage
        {
            Metadata = new ContextMetadata { AgentId = "dep_39/generate_model", Contract = "dep_39", Stage = PackageLayout.GenerateModel },
            Assignment = new ContextAssignment { Objective = "generate_model for dep_39", Tasks = PackageLayout.FilesOf[PackageLayout.GenerateModel], DependsOn = ["dep_38"] },
            NamingConventions = ContextPackages.NamingOf("dep_39", graph["dep_39"].Requirements),
            TypeRegistry = [.. graph.Upstream("dep_39").Select(u => ContextPackages.TypesOf(u, graph[u].Requirements, u == "dep_38"))],
            Patterns = ContextPackages.PatternsOf(Node("dep_39_node", 8)),
            Limits = new ResourceLimits { StepTimeoutMs = 60000, MaxAttempts = 3, MaxParallel = 8 },
        };
        Assert.Equal(39, full.TypeRegistry.Count);
        for (var budget = ContextPackages.MinimumBudget; budget <= 8000; budget += 250)
        {
            var package = ContextPackages.Build(full, budget);
            Assert.True(package.EstimatedTokens <= budget, $"{package.EstimatedTokens} tokens over a budget of {budget}");
            Assert.Equal(package.EstimatedTokens, ContextPackages.Tokens(package));
            // What stays is what matters most: the direct dependency is the last type to go.
            if (package.TypeRegistry.Count > 0) Assert.Contains(package.TypeRegistry, t => t.Contract == "dep_38");
            if (package.TypeRegistry.Count < 39) Assert.Empty(package.Patterns);
        }
        Assert.Empty(ContextPackages.Build(full, 100_000).Dropped);
        Assert.Throws<InvalidOperationException>(() => ContextPackages.Build(full, 20));
    }

    [Fact]
    public async Task A_validation_batch_checks_every_package_with_one_python_process()
    {
        var python = new PythonSyntax(Options.Create(new CodegenOptions()));
        var kit = new CodegenKit();
        var good = kit.Render(Node("good_node"));
        var bad = good.Select(f => f.Path == "node.py" ? f with { Content = f.Content + "\ndef broken(:\n" } : f).ToList();
        var before = python.ProcessesStarted;
        var results = await python.CheckManyAsync([good, bad, good]);
        Assert.Equal(1, python.ProcessesStarted - before);
        Assert.Empty(results[0].Errors);
        Assert.Single(results[1].Errors);
        Assert.StartsWith("node.py:", results[1].Errors[0]);
        Assert.Empty(results[2].Errors);
    }
}
