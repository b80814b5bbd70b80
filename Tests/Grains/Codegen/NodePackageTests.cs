using OmniBridge.Grains.Codegen;
using OmniBridge.Grains.Interfaces.Codegen;
using YamlDotNet.RepresentationModel;

namespace OmniBridge.Tests.Grains.Codegen;

/// <summary>
/// docs/protocol.md, "Code generation" packages as a user receives them, judged by python3 itself: for every node type and
/// many variants, every file is there, every .py compiles, the contract parses and names the node
/// type and operations, and the package imports and runs every operation.
/// </summary>
public sealed class NodePackageTests
{
    static readonly CodegenKit Kit = new();

    public static TheoryData<string, string, string, string[], string> Nodes => new()
    {
        { "effect", "user_crud", "User CRUD operations with PostgreSQL, transactions and SQL queries", ["create", "read", "update", "delete", "list"], "database_heavy" },
        { "effect", "webhook_relay", "Calls a REST API endpoint and a webhook over HTTP; \"quoted\" \\ and 'single' text, {{braces}} <tags> é ü 漢字", ["forward", "retry later"], "api_heavy" },
        { "effect", "event_sink", "Publishes events to a Kafka topic and consumes a message queue", ["publish", "consume"], "kafka_heavy" },
        { "compute", "image_classifier", "Runs model inference to predict and classify images", ["classify", "explain"], "ml_inference" },
        { "compute", "adder", "Adds two numbers", ["add"], "minimal" },
        { "reducer", "sales_rollup", "Aggregates statistics into a report", ["fold", "snapshot"], "analytics" },
        { "reducer", "counter", "Counts things and keeps a tally for production scale", ["count", "reset", "total"], "production" },
        { "orchestrator", "review_flow", "Coordinates the review steps", ["submit", "approve", "publish"], "workflow" },
        { "effect", "mailer", "Sends mail for several teams", ["send", "status", "stop"], "standard" },
    };

    static NodeRequirements Requirements(string nodeType, string name, string description, string[] operations, string variant) =>
        CodegenKit.Requirements(nodeType, name, description, operations, variant is "minimal" ? [] : ["audit trail", "health checks"]) with
        {
            Dependencies = variant is "minimal" ? new Dictionary<string, string>() : new Dictionary<string, string> { ["structlog"] = ">=24.1" },
            PerformanceRequirements = new Dictionary<string, string> { ["max_latency_ms"] = "50" },
            DataModels = variant is "minimal" ? [] : [new DataModelSpec("record", [new DataFieldSpec("record_id", "str"), new DataFieldSpec("amount", "float"), new DataFieldSpec("tags", "list")])],
        };

    [Theory]
    [MemberData(nameof(Nodes))]
    public async Task Every_node_type_and_variant_gives_a_package_that_compiles_parses_and_runs(string nodeType, string name, string description, string[] operations, string variant)
    {
        var requirements = Requirements(nodeType, name, description, operations, variant);
        var plan = NodePlan.For(requirements);
        Assert.Equal(variant, plan.Variant);
        var files = Kit.Render(requirements);

        // Every file of docs/protocol.md, "Code generation", and no other.
        Assert.Equal(PackageLayout.Files.Order(StringComparer.Ordinal), files.Select(f => f.Path).Order(StringComparer.Ordinal));
        var className = $"Node{Identifiers.ToPascal(name)}{Identifiers.ToPascal(nodeType)}";
        Assert.Equal(className, plan.ClassName);
        Assert.Matches($@"(?m)^class {className}\b", files.Single(f => f.Path == "node.py").Content);

        // The contract parses and names the node type and every operation.
        var yaml = new YamlStream();
        yaml.Load(new StringReader(files.Single(f => f.Path == "contract.yaml").Content));
        var contract = (YamlMappingNode)yaml.Documents[0].RootNode;
        Assert.Equal(nodeType, ((YamlScalarNode)contract["node_type"]).Value);
        Assert.Equal(name, ((YamlScalarNode)contract["name"]).Value);
        var listed = ((YamlSequenceNode)contract["operations"]).Children.Select(o => ((YamlScalarNode)((YamlMappingNode)o)["name"]).Value).ToList();
        Assert.Equal(plan.Operations.Select(o => o.Name), listed);
        Assert.Equal(description, ((YamlScalarNode)contract["description"]).Value);

        var folder = CodegenKit.WriteOut(name, files);
        try
        {
            // python3 -m py_compile, file by file, as a user would run it.
            foreach (var file in files.Where(f => f.Path.EndsWith(".py", StringComparison.Ordinal)))
            {
                var (exit, output) = await CodegenKit.PythonAsync(folder, "-m", "py_compile", Path.Combine(name, file.Path));
                Assert.True(exit == 0, $"{file.Path} does not compile:\n{output}");
            }
            // The package imports, and every operation answers; an unknown one is refused without raising.
            var run = $$"""
                import asyncio, importlib
                node_module = importlib.import_module("{{name}}.node")
                models = importlib.import_module("{{name}}.models")
                node = getattr(node_module, "{{className}}")()
                async def main():
                    for operation in {{System.Text.Json.JsonSerializer.Serialize(plan.Operations.Select(o => o.Name))}}:
                        response = await node.{{plan.ExecuteMethod}}(models.Model{{plan.PascalName}}Request(operation=operation, payload={"value": 2}))
                        assert response.success, (operation, response)
                    unknown = await node.{{plan.ExecuteMethod}}(models.Model{{plan.PascalName}}Request(operation="no_such_operation", payload={}))
                    assert not unknown.success
                    health = await node.health_check()
                    assert isinstance(health, dict)
                    print("ran", len(node.get_operations()))
                asyncio.run(main())
                """;
            var (ran, said) = await CodegenKit.PythonAsync(folder, "-c", run);
            Assert.True(ran == 0, $"the package did not run:\n{said}");
            Assert.Contains($"ran {operations.Length}", said, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("effect")]
    [InlineData("compute")]
    [InlineData("reducer")]
    [InlineData("orchestrator")]
    public async Task Strict_validation_passes_what_the_templates_make(string nodeType)
    {
        // Every mixin the node type allows, Security's secret-spotting included.
        var requirements = Requirements(nodeType, "strict_" + nodeType, "Stores records in PostgreSQL and publishes events to Kafka with metrics",
            ["store", "publish"], "database_heavy") with
        {
            Mixins = nodeType == "compute" ? ["Validation", "Security", "HealthCheck", "Metrics"] : MixinRules.All,
            DataModels = [new DataModelSpec("account", [new DataFieldSpec("password_hash", "str"), new DataFieldSpec("api_token", "str")])],
        };
        var files = Kit.Render(requirements);
        var findings = await Kit.Validation.ValidateAsync(NodePlan.For(requirements), files, ValidationLevels.Strict);
        Assert.Empty(findings.Errors);
        Assert.Empty(findings.Notes);
    }

    [Fact]
    public async Task Validation_catches_broken_python_bad_yaml_wrong_names_and_dangerous_code_by_level()
    {
        var requirements = Requirements("effect", "broken", "Stores records", ["store"], "standard");
        var plan = NodePlan.For(requirements);
        var files = Kit.Render(requirements).Select(f => f.Path switch
        {
            "node.py" => f with { Content = f.Content.Replace($"class {plan.ClassName}", "class SomethingElse", StringComparison.Ordinal) + "\nresult = eval(\"1 + 1\")\napi_key = \"sk-live-0123456789abcdef\"\n" },
            "models/model_response.py" => f with { Content = "def broken(:\n" },
            "contract.yaml" => f with { Content = f.Content + "\n  bad: [unclosed\n" },
            _ => f,
        }).Where(f => f.Path != "tests/conftest.py").ToList();

        var basic = await Kit.Validation.ValidateAsync(plan, files, ValidationLevels.Basic);
        Assert.Contains(basic.Errors, e => e.StartsWith("models/model_response.py:1:", StringComparison.Ordinal));
        Assert.Contains(basic.Errors, e => e.StartsWith("contract.yaml: not valid YAML", StringComparison.Ordinal));
        Assert.DoesNotContain(basic.Errors, e => e.Contains("SomethingElse", StringComparison.Ordinal) || e.Contains("no class", StringComparison.Ordinal));

        var standard = await Kit.Validation.ValidateAsync(plan, files, ValidationLevels.Standard);
        Assert.Contains(standard.Errors, e => e == $"node.py: no class {plan.ClassName}");
        Assert.Contains(standard.Errors, e => e == "tests/conftest.py: missing from the package");
        Assert.DoesNotContain(standard.Errors, e => e.Contains("(strict)", StringComparison.Ordinal));

        var strict = await Kit.Validation.ValidateAsync(plan, files, ValidationLevels.Strict);
        Assert.Contains(strict.Errors, e => e.StartsWith("node.py:", StringComparison.Ordinal) && e.Contains("eval(", StringComparison.Ordinal));
        Assert.Contains(strict.Errors, e => e.StartsWith("node.py:", StringComparison.Ordinal) && e.Contains("hard-coded secret", StringComparison.Ordinal));

        var none = await Kit.Validation.ValidateAsync(plan, files, ValidationLevels.None);
        Assert.Empty(none.Errors);
    }

    [Fact]
    public async Task Without_python3_the_result_says_python_was_not_checked()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new CodegenOptions { Python = "/nonexistent/python3" });
        var validation = new PackageValidation(new PythonSyntax(options));
        var requirements = Requirements("compute", "unchecked", "Adds", ["add"], "minimal");
        var findings = await validation.ValidateAsync(NodePlan.For(requirements), Kit.Render(requirements), ValidationLevels.Standard);
        Assert.Empty(findings.Errors);
        Assert.Contains(findings.Notes, n => n.Contains("python3 is not available", StringComparison.Ordinal));
    }

    [Fact]
    public void Compiled_templates_are_cached_least_recently_used_first_out()
    {
        var kit = new CodegenKit(cacheSize: 4);
        var requirements = Requirements("effect", "cached", "Stores records", ["store"], "standard");
        kit.Render(requirements);
        Assert.Equal(PackageLayout.Files.Count, kit.Templates.Misses);
        Assert.Equal(0, kit.Templates.Hits);
        // With room for four templates, the next full package misses again; a repeated file hits.
        var plan = NodePlan.For(requirements);
        var model = TemplateModel.Of(plan);
        kit.Templates.Render("README.md", model);
        Assert.Equal(1, kit.Templates.Hits);
        kit.Templates.Render("node.py", model);
        Assert.Equal(PackageLayout.Files.Count + 1, kit.Templates.Misses);

        var warm = new CodegenKit();
        warm.Render(requirements);
        warm.Render(requirements with { ServiceName = "another" });
        Assert.Equal(PackageLayout.Files.Count, warm.Templates.Hits);
        Assert.Equal(PackageLayout.Files.Count, warm.Templates.Misses);
    }

    [Fact]
    public void The_same_requirements_always_give_the_same_package()
    {
        var requirements = Requirements("reducer", "stable", "Aggregates statistics into a report", ["fold"], "analytics");
        Assert.Equal(Kit.Render(requirements), new CodegenKit().Render(requirements));
    }
}
