using System.Net;
using OmniBridge.Tests.Fixtures;
using static OmniBridge.Tests.Api.Codegen.CodegenRequestBodies;

namespace OmniBridge.Tests.Api.Codegen;

/// <summary>docs/patterns.md through the REST API: POST /api/v1/codegen/patterns/match, and /generate adding the patterns it selects.</summary>
[Collection(SharedService.Name)]
public sealed class PatternEndpointTests(SiloApp service)
{
    const string Match = "/api/v1/codegen/patterns/match";
    readonly HttpClient http = service.Http;

    [Fact]
    public async Task Match_answers_the_most_relevant_patterns_of_the_node_type_with_their_reasons()
    {
        var reply = await http.PostJsonAsync(Match, new { node_type = "effect", operation = "publish", features = new[] { "circuit breaker", "kafka" }, limit = 3 });
        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        var matches = reply.Data.GetProperty("matches").EnumerateArray().ToList();
        Assert.Equal(3, matches.Count);
        Assert.Equal("circuit_breaker", matches[0].GetProperty("name").GetString());
        Assert.Equal("resilience", matches[0].GetProperty("category").GetString());
        Assert.Contains("named in the features", matches[0].GetProperty("match_reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("breaker", matches[0].GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.False(string.IsNullOrEmpty(matches[0].GetProperty("description").GetString()));
        var scores = matches.Select(m => m.GetProperty("relevance_score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.Equal("event_publishing", matches[1].GetProperty("name").GetString());

        // The default limit is 5; a compute node never gets patterns that do not apply to it.
        var compute = await http.PostJsonAsync(Match, new { node_type = "compute", features = new[] { "retry", "kafka health" } });
        var names = compute.Data.GetProperty("matches").EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToList();
        Assert.Equal(4, names.Count);
        Assert.DoesNotContain("retry", names);
        Assert.DoesNotContain("kafka_health", names);
    }

    [Theory]
    [InlineData("""{"features": ["retry"]}""", "node_type")]
    [InlineData("""{"node_type": "gateway"}""", "node_type")]
    [InlineData("""{"node_type": "effect", "limit": 0}""", "limit")]
    [InlineData("""{"node_type": "effect", "limit": 21}""", "limit")]
    [InlineData("""{"node_type": "effect", "features": ["retry", null]}""", "features[1]")]
    [InlineData("""{"node_type": "effect", "features": "retry"}""", "features")]
    [InlineData("""{"node_type": "effect", "limit": "five"}""", "limit")]
    public async Task Bad_queries_are_a_400_validation_error_naming_the_field(string body, string field)
    {
        var reply = await http.PostRawAsync(Match, body, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(field, reply.ErrorField);
        Assert.Equal("VALIDATION_ERROR", reply.Body.GetProperty("error")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Generate_with_features_naming_patterns_gives_a_package_that_carries_them_and_passes_validation()
    {
        var reply = await http.PostJsonAsync(Generate, new
        {
            requirements = new
            {
                node_type = "effect",
                service_name = "resilient_orders",
                domain = "sales",
                business_description = "Stores orders and calls the payment provider",
                operations = new[] { "place", "cancel" },
                features = new[] { "circuit breaker", "automatic retry", "event publishing", "kafka health" },
            },
            strategy = "template",
            validation_level = "strict",
        });
        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        Assert.True(reply.Data.GetProperty("validation_passed").GetBoolean(), reply.Data.GetProperty("validation_errors").ToString());
        var applied = reply.Data.GetProperty("patterns_applied").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Equal(["kafka_health", "event_publishing", "retry", "circuit_breaker"], applied);
        var node = reply.Data.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("path").GetString() == "node.py").GetProperty("content").GetString()!;
        foreach (var mixin in new[] { "PatternKafkaHealth", "PatternEventPublishing", "PatternRetry", "PatternCircuitBreaker" })
        {
            Assert.Contains($"class {mixin}:", node, StringComparison.Ordinal);
            Assert.Contains($"    {mixin},\n", node, StringComparison.Ordinal);
        }
        Assert.Contains("attempt = self._pattern_wrap_circuit_breaker(operation, attempt)", node, StringComparison.Ordinal);

        var session = await http.GetReplyAsync($"{Sessions}/{reply.Data.GetProperty("session_id").GetString()}");
        Assert.Equal(applied, session.Data.GetProperty("result").GetProperty("patterns_applied").EnumerateArray().Select(p => p.GetString()));
    }
}
