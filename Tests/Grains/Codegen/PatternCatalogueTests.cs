using OmniBridge.Grains.Codegen;
using OmniBridge.Grains.Codegen.Patterns;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Tests.Grains.Codegen;

/// <summary>docs/patterns.md, "Scoring": what a caller of the catalogue notices, unlike the original's averaged score.</summary>
public sealed class PatternCatalogueTests
{
    static readonly string[] NodeTypes = ["effect", "compute", "reducer", "orchestrator"];

    /// <summary>Tags, pattern names written several ways, and words that match nothing.</summary>
    static readonly string[] Vocabulary =
    [
        .. PatternCatalogue.All.SelectMany(p => p.Tags), .. PatternCatalogue.All.Select(p => p.Name), "Circuit Breaker", "health-checks",
        "kafka health", "automatic retry", "connection pooling", "audit trail", "blue", "green", "crud", "pdf", "x", "",
    ];

    static PatternQuery Query(string nodeType, IEnumerable<string> features, string? operation = null, int limit = 20) =>
        new() { NodeType = nodeType, Features = features.ToHashSet(), Operation = operation, Limit = limit };

    static double ScoreOf(PatternQuery query, string pattern) => PatternCatalogue.Match(query).Single(m => m.Name == pattern).RelevanceScore;

    [Fact]
    public void Adding_any_feature_or_naming_a_pattern_never_lowers_any_score_over_many_random_queries()
    {
        var random = new Random(18);
        for (var round = 0; round < 2000; round++)
        {
            var nodeType = NodeTypes[random.Next(NodeTypes.Length)];
            var operation = random.Next(3) == 0 ? null : Vocabulary[random.Next(Vocabulary.Length)];
            var features = Enumerable.Range(0, random.Next(0, 6)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]).ToList();
            var before = PatternCatalogue.Match(Query(nodeType, features, operation)).ToDictionary(m => m.Name, m => m.RelevanceScore);

            var added = Vocabulary[random.Next(Vocabulary.Length)];
            var more = PatternCatalogue.Match(Query(nodeType, [.. features, added], operation)).ToDictionary(m => m.Name, m => m.RelevanceScore);
            Assert.Equal(before.Keys.Order(), more.Keys.Order());
            foreach (var (name, score) in before)
            {
                Assert.True(more[name] >= score, $"{name}: {score} → {more[name]} after adding '{added}' to [{string.Join(", ", features)}] ({nodeType}, {operation})");
                Assert.InRange(score, 0.0, 1.0);
                // Naming the pattern itself never lowers it, and lifts it above anything merely applicable.
                var named = ScoreOf(Query(nodeType, [.. features, name], operation), name);
                Assert.True(named >= score && named >= PatternRelevance.Applicable + PatternRelevance.Named, $"{name}: {score} → {named} once named");
            }
        }
    }

    [Fact]
    public void Naming_a_pattern_ranks_it_first_where_the_original_dropped_it_below_its_threshold()
    {
        // The original: ("kafka", {"kafka_health"}) scored (0.4 + 0.3) / 2 = 0.35 and was not returned.
        var kafka = PatternCatalogue.Match(Query("effect", ["kafka_health"], operation: "kafka", limit: 3));
        Assert.Equal("kafka_health", kafka[0].Name);
        Assert.True(kafka[0].RelevanceScore >= 0.85, kafka[0].ToString());
        Assert.Contains("named in the features", kafka[0].MatchReason, StringComparison.Ordinal);

        // ("database", {"health", "metrics"}): naming metrics raises it above every pattern it was not named in.
        var asked = PatternCatalogue.Match(Query("effect", ["health", "metrics"], operation: "database"));
        Assert.Equal("metrics", asked[0].Name);
        Assert.Contains(asked.Take(3), m => m.Name == "database_health");
        Assert.Equal(["circuit breaker", "Circuit-Breaker", "circuit_breaker", "CIRCUIT BREAKERS", "breaker"],
            new[] { "circuit breaker", "Circuit-Breaker", "circuit_breaker", "CIRCUIT BREAKERS", "breaker" }
                .Where(f => PatternCatalogue.Match(Query("effect", [f], limit: 1))[0].Name == "circuit_breaker"));
        Assert.Equal("service_discovery", PatternCatalogue.Match(Query("orchestrator", ["consul_integration"], limit: 1))[0].Name);
    }

    [Theory]
    [InlineData("compute")]
    [InlineData("reducer")]
    [InlineData("effect")]
    [InlineData("orchestrator")]
    public void Patterns_that_do_not_apply_to_the_node_type_are_never_returned_even_when_named(string nodeType)
    {
        var matches = PatternCatalogue.Match(Query(nodeType, PatternCatalogue.All.Select(p => p.Name)));
        Assert.Equal(PatternCatalogue.All.Where(p => p.AppliesTo(nodeType)).Select(p => p.Name).Order(), matches.Select(m => m.Name).Order());
        if (nodeType == "compute")
            Assert.DoesNotContain(matches, m => m.Name is "retry" or "circuit_breaker" or "event_publishing" or "kafka_health" or "database_health");
        Assert.Empty(PatternCatalogue.Match(Query("gateway", ["retry"])));
    }

    [Fact]
    public void Equal_scores_come_in_name_order_and_the_limit_keeps_the_best()
    {
        var plain = PatternCatalogue.Match(Query("effect", []));
        Assert.All(plain, m => Assert.Equal(PatternRelevance.Applicable, m.RelevanceScore));
        Assert.Equal(plain.Select(m => m.Name).Order(StringComparer.Ordinal), plain.Select(m => m.Name));

        var ranked = PatternCatalogue.Match(Query("effect", ["retry", "metrics", "kafka"], limit: 3));
        Assert.Equal(3, ranked.Count);
        Assert.Equal(["metrics", "retry"], ranked.Take(2).Select(m => m.Name));
        Assert.True(ranked.Zip(ranked.Skip(1)).All(p => p.First.RelevanceScore >= p.Second.RelevanceScore));
        Assert.Equal(ranked, PatternCatalogue.Match(Query("effect", ["kafka", "metrics", "retry"], limit: 3)));
    }

    [Fact]
    public void The_template_strategy_selects_named_patterns_and_strong_evidence_only()
    {
        var requirements = CodegenKit.Requirements("effect", "orders", "Stores orders", ["create", "publish"],
            ["circuit breaker", "automatic retry", "audit trail", "kafka"]);
        // retry and circuit_breaker are named; event_publishing has the operation publish and the tags kafka and audit;
        // kafka_health has the tag kafka alone (0.325), below the threshold.
        Assert.Equal(["event_publishing", "retry", "circuit_breaker"], NodePlan.For(requirements).Patterns);
        Assert.Empty(NodePlan.For(CodegenKit.Requirements("compute", "adder", "Adds", ["add"], ["circuit breaker"])).Patterns);
    }
}
