using OmniBridge.Grains.Codegen;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Tests.Grains.Codegen;

/// <summary>docs/protocol.md, "Code generation" requirements: every problem reported at once; mixins recommended and checked by their rules.</summary>
public sealed class RequirementsRulesTests
{
    static GenerationRequest Request(NodeRequirements requirements, string strategy = "template", string level = "standard") =>
        new() { Requirements = requirements, Strategy = strategy, ValidationLevel = level };

    [Fact]
    public void Bad_requirements_are_refused_with_every_problem_named_by_its_field()
    {
        var bad = new NodeRequirements
        {
            NodeType = "gateway",
            ServiceName = "UserCrud",
            Domain = "",
            BusinessDescription = " ",
            Operations = [],
            Dependencies = new Dictionary<string, string> { ["not a package!"] = "1.0" },
            DataModels = [new DataModelSpec("user", [new DataFieldSpec("class", "str"), new DataFieldSpec("age", "decimal128")])],
        };
        var refused = Assert.Throws<CodegenRequestException>(() => RequirementsRules.Require(Request(bad, strategy: "magic", level: "paranoid")));
        Assert.Equal("VALIDATION_ERROR", refused.Code);
        var fields = refused.Problems.Select(p => p.Field).ToList();
        Assert.Equal(
            ["strategy", "validation_level", "requirements.node_type", "requirements.service_name", "requirements.domain", "requirements.business_description",
             "requirements.operations", "requirements.dependencies.not a package!", "requirements.data_models[0].fields.class", "requirements.data_models[0].fields.age"],
            fields);
        Assert.All(refused.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
    }

    [Theory]
    [InlineData("user_crud", true)]
    [InlineData("a", true)]
    [InlineData("v2_api", true)]
    [InlineData("user__crud", false)]
    [InlineData("_user", false)]
    [InlineData("user-crud", false)]
    [InlineData("2fast", false)]
    [InlineData("class", false)]
    public void Service_names_are_snake_case_and_not_python_keywords(string name, bool accepted)
    {
        var problems = RequirementsRules.Check(CodegenKit.Requirements("effect", name, "does things", ["run"]));
        Assert.Equal(accepted, !problems.Any(p => p.Field == "requirements.service_name"));
    }

    [Fact]
    public void Operations_become_distinct_identifiers()
    {
        var problems = RequirementsRules.Check(CodegenKit.Requirements("effect", "ops", "does things", ["List All", "list-all", "9lives", "import"])).ToList();
        Assert.Equal(["requirements.operations[1]", "requirements.operations[2]", "requirements.operations[3]"], problems.Select(p => p.Field));
        var plan = NodePlan.For(CodegenKit.Requirements("effect", "ops", "does things", ["List All", "get-one"]));
        Assert.Equal(["list_all", "get_one"], plan.Operations.Select(o => o.Name));
    }

    [Theory]
    [InlineData("compute", new[] { "Retry" }, "conflicts with a compute node")]
    [InlineData("compute", new[] { "Validation", "CircuitBreaker" }, "conflicts with a compute node")]
    [InlineData("effect", new[] { "CircuitBreaker" }, "needs Retry")]
    [InlineData("effect", new[] { "Security" }, "needs Validation")]
    [InlineData("effect", new[] { "Metrics", "Metrics" }, "listed twice")]
    [InlineData("effect", new[] { "Caching" }, "unknown mixin")]
    public void Mixin_conflicts_and_missing_prerequisites_are_refused(string nodeType, string[] mixins, string why)
    {
        var requirements = CodegenKit.Requirements(nodeType, "mixed", "does things", ["run"], mixins: mixins);
        var refused = Assert.Throws<CodegenRequestException>(() => RequirementsRules.Require(Request(requirements)));
        Assert.Equal("MIXIN_CONFLICT", refused.Code);
        Assert.Contains(refused.Problems, p => p.Message.Contains(why, StringComparison.Ordinal) && p.Field.StartsWith("requirements.mixins[", StringComparison.Ordinal));
    }

    [Fact]
    public void Retry_conflicts_with_at_most_once_delivery()
    {
        var requirements = CodegenKit.Requirements("effect", "payments", "Charges cards exactly as asked, at-most-once", ["charge"], mixins: ["Retry"]);
        var refused = Assert.Throws<CodegenRequestException>(() => RequirementsRules.Require(Request(requirements)));
        Assert.Contains("at-most-once", refused.Problems[0].Message, StringComparison.Ordinal);
        // Recommended mixins never include what the rules forbid.
        Assert.DoesNotContain("Retry", MixinRules.Recommend(requirements with { Mixins = null }));
    }

    [Fact]
    public void Recommendations_follow_the_description_and_bring_their_prerequisites()
    {
        var effect = CodegenKit.Requirements("effect", "billing_api", "Calls a downstream billing API with a circuit breaker; exposes latency metrics",
            ["charge"], ["health probe"]);
        Assert.Equal(["Retry", "CircuitBreaker", "HealthCheck", "Metrics"], MixinRules.Recommend(effect));
        var compute = CodegenKit.Requirements("compute", "scorer", "Scores documents; secure against tenant mix-ups and retry nothing", ["score"]);
        var recommended = MixinRules.Recommend(compute);
        Assert.Contains("Security", recommended);
        Assert.Contains("Validation", recommended);   // Security's prerequisite
        Assert.DoesNotContain("Retry", recommended);  // a compute node's conflict
    }

    [Theory]
    [InlineData("effect", "User CRUD operations with PostgreSQL, transactions and SQL queries", "database_heavy")]
    [InlineData("effect", "Calls a REST API endpoint and a webhook over HTTP", "api_heavy")]
    [InlineData("effect", "Publishes events to a Kafka topic and consumes a message queue", "kafka_heavy")]
    [InlineData("compute", "Runs model inference to predict and classify images", "ml_inference")]
    [InlineData("reducer", "Aggregates statistics into a report", "analytics")]
    [InlineData("orchestrator", "Coordinates the review steps", "workflow")]
    [InlineData("effect", "Sends an email, built for production scale", "production")]
    [InlineData("compute", "Adds two numbers", "minimal")]
    public void The_variant_follows_the_requirements(string nodeType, string description, string variant)
    {
        var features = variant is "minimal" ? Array.Empty<string>() : ["one", "two"];
        var operations = variant is "minimal" ? new[] { "add" } : ["first", "second", "third"];
        Assert.Equal(variant, VariantSelection.Choose(CodegenKit.Requirements(nodeType, "svc", description, operations, features)).Variant);
    }
}
