using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using OmniBridge.Grains.Codegen;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Kafka;

/// <summary>
/// docs/codegen-events.md: another party (an ordinary Confluent producer and consumer on librdkafka's mock cluster) sends the
/// original's requests to the four request topics; the service answers each on its response topic in the original's response
/// schema with the same ids, sends what it cannot read to the step's DLQ topic unchanged with the four headers, answers a
/// request sent twice once, and logs every event to event_logs, where the tracer finds the events seen on the topics.
/// </summary>
public sealed class CodegenProtocolTests(KafkaService service) : IClassFixture<KafkaService>
{
    const string Group = "omniarchon_codegen_intelligence";

    const string Prd = """
        # Order Store PRD

        Stores customer orders in PostgreSQL and publishes nothing.

        ## Operations
        - Create order: validates and inserts an order
        - Cancel order (by id)
        - List orders

        ## Features
        - connection pooling
        - automatic retry on transient database errors
        - metrics
        """;

    const string GoodNode = """
        class NodeOrderStoreEffect:
            \"\"\"Stores orders.\"\"\"

            async def execute_effect(self, contract):
                return await self._handle_create_order(contract)

            async def _handle_create_order(self, contract):
                return {"ok": True}
        """;

    static JsonObject Body(string step, Guid correlation, Guid session) => step switch
    {
        CodegenTopics.Analyze => new JsonObject { ["prd_content"] = Prd, ["analysis_type"] = "full", ["workspace_context"] = new JsonObject { ["domain"] = "sales" } },
        CodegenTopics.Validate => new JsonObject
        {
            ["code_content"] = GoodNode.Replace("\\\"", "\"", StringComparison.Ordinal),
            ["node_type"] = "effect",
            ["contracts"] = new JsonArray(new JsonObject { ["name"] = "orders", ["operations"] = new JsonArray("create_order") }),
            ["validation_type"] = "full",
        },
        CodegenTopics.Pattern => new JsonObject { ["node_description"] = "Publishes order events to Kafka topics and calls an HTTP API client for each message", ["node_type"] = "effect", ["limit"] = 2 },
        _ => new JsonObject { ["requirements"] = new JsonArray("retry on transient network errors", "expose latency metrics"), ["node_type"] = "effect", ["existing_mixins"] = new JsonArray("Retry") },
    } is var body ? With(body, correlation, session) : null!;

    static JsonObject With(JsonObject body, Guid correlation, Guid session)
    {
        body["correlation_id"] = correlation.ToString("D");
        body["session_id"] = session.ToString("D");
        body["timestamp"] = "2026-12-06T10:00:00Z";
        body["schema_version"] = "1.0";
        return body;
    }

    async Task<DeliveryResult<string, string>> SendAsync(string step, string? key, string value, Headers? headers = null)
    {
        using var producer = service.Kafka.Producer();
        return await producer.ProduceAsync(CodegenTopics.Request(step), new Message<string, string> { Key = key!, Value = value, Headers = headers ?? [] });
    }

    List<ConsumeResult<string, string>> Answers(string step, Guid correlation, int expected, TimeSpan? linger = null) =>
        service.Kafka.ReadAll(CodegenTopics.Response(step), expected, m => m.Message.Value.Contains(correlation.ToString("D"), StringComparison.Ordinal), TimeSpan.FromSeconds(60), linger);

    [Theory]
    [InlineData(CodegenTopics.Analyze)]
    [InlineData(CodegenTopics.Validate)]
    [InlineData(CodegenTopics.Pattern)]
    [InlineData(CodegenTopics.Mixin)]
    public async Task A_request_is_answered_on_its_response_topic_with_the_same_ids_in_the_originals_response_schema(string step)
    {
        var (correlation, session) = (Guid.NewGuid(), Guid.NewGuid());
        await SendAsync(step, correlation.ToString("D"), Body(step, correlation, session).ToJsonString());

        var message = Assert.Single(Answers(step, correlation, 1));
        Assert.Equal(session.ToString("D"), message.Message.Key);
        Assert.Equal(EventEnvelopes.NameBased($"codegen-response:{step}:{correlation:D}").ToString("D"), message.Message.Headers.Text("event_id"));
        var answer = JsonDocument.Parse(message.Message.Value).RootElement;
        Assert.Equal(correlation.ToString("D"), answer.GetProperty("correlation_id").GetString());
        Assert.Equal(session.ToString("D"), answer.GetProperty("session_id").GetString());
        Assert.True(answer.GetProperty("processing_time_ms").GetInt64() >= 0);
        Assert.Equal("1.0", answer.GetProperty("schema_version").GetString());
        Assert.True(DateTime.TryParse(answer.GetProperty("timestamp").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        var fields = answer.EnumerateObject().Select(p => p.Name).Except(["correlation_id", "session_id", "processing_time_ms", "timestamp", "schema_version"]).Order().ToList();

        switch (step)
        {
            case CodegenTopics.Analyze:
                Assert.Equal(["analysis_result", "confidence"], fields);
                var result = answer.GetProperty("analysis_result");
                var expected = new NodeRequirements
                {
                    NodeType = "effect",
                    ServiceName = "order_store",
                    Domain = "sales",
                    BusinessDescription = "Stores customer orders in PostgreSQL and publishes nothing.",
                    Operations = ["create_order", "cancel_order", "list_orders"],
                    Features = ["connection pooling", "automatic retry on transient database errors", "metrics"],
                };
                var plan = NodePlan.For(expected);
                Assert.Equal("effect", result.GetProperty("node_type").GetString());
                Assert.Equal("order_store", result.GetProperty("service_name").GetString());
                Assert.Equal("NodeOrderStoreEffect", result.GetProperty("node_name").GetString());
                Assert.Equal("sales", result.GetProperty("domain").GetString());
                Assert.Equal(expected.Operations, result.GetProperty("operations").EnumerateArray().Select(o => o.GetString()));
                Assert.Equal(expected.Features, result.GetProperty("features").EnumerateArray().Select(o => o.GetString()));
                Assert.Equal(plan.Variant, result.GetProperty("variant").GetString());
                Assert.Equal(VariantSelection.DatabaseHeavy, plan.Variant);
                Assert.Equal(plan.Mixins, result.GetProperty("mixins").EnumerateArray().Select(o => o.GetString()));
                Assert.Contains(MixinRules.Retry, plan.Mixins);
                Assert.Equal(1.0, answer.GetProperty("confidence").GetDouble());
                break;
            case CodegenTopics.Validate:
                Assert.Equal(["is_valid", "onex_compliance_score", "quality_score", "validation_result"], fields);
                Assert.True(answer.GetProperty("is_valid").GetBoolean(), message.Message.Value);
                Assert.Equal(1.0, answer.GetProperty("onex_compliance_score").GetDouble());
                Assert.Equal(["syntax", "node_class", "node_type", "execute_method", "contract:orders", "security"],
                    answer.GetProperty("validation_result").GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
                break;
            case CodegenTopics.Pattern:
                Assert.Equal(["pattern_result", "total_matches"], fields);
                var patterns = answer.GetProperty("pattern_result").EnumerateArray().ToList();
                // Events published to Kafka: the catalogue's event publishing and Kafka health patterns, equal on the
                // evidence (event, kafka) and so in name order; the limit of 2 keeps them and counts the rest.
                Assert.Equal(["event_publishing", "kafka_health"], patterns.Select(p => p.GetProperty("pattern_id").GetString()));
                Assert.All(patterns, p => Assert.InRange(p.GetProperty("relevance").GetDouble(), 0.11, 1.0));
                Assert.All(patterns, p => Assert.Contains("kafka", p.GetProperty("tags").EnumerateArray().Select(t => t.GetString())));
                Assert.True(answer.GetProperty("total_matches").GetInt32() >= 2);
                break;
            default:
                Assert.Equal(["mixin_recommendations", "total_recommendations"], fields);
                var advice = answer.GetProperty("mixin_recommendations").EnumerateArray().ToList();
                Assert.Equal(advice.Count, answer.GetProperty("total_recommendations").GetInt32());
                Assert.Contains(advice, a => a.GetProperty("mixin").GetString() == MixinRules.Metrics && a.GetProperty("action").GetString() == "add");
                Assert.DoesNotContain(advice, a => a.GetProperty("mixin").GetString() == MixinRules.Retry);
                break;
        }
    }

    [Fact]
    public async Task A_request_that_cannot_be_read_goes_to_its_dlq_unchanged_with_the_error_and_its_source_while_the_next_is_answered()
    {
        var session = Guid.NewGuid();
        var bad = new (string Step, string Value, string Error)[]
        {
            (CodegenTopics.Analyze, "this is not JSON {", "not JSON"),
            (CodegenTopics.Analyze, With(new JsonObject { ["analysis_type"] = "full" }, Guid.NewGuid(), session).ToJsonString(), "prd_content is required"),
            (CodegenTopics.Validate, With(new JsonObject { ["code_content"] = "x = 1", ["node_type"] = "widget" }, Guid.NewGuid(), session).ToJsonString(), "node_type must be one of"),
            (CodegenTopics.Pattern, With(new JsonObject { ["node_description"] = "d", ["node_type"] = "effect", ["limit"] = "five" }, Guid.NewGuid(), session).ToJsonString(), "limit must be"),
            (CodegenTopics.Mixin, With(new JsonObject { ["requirements"] = new JsonArray(1, 2), ["node_type"] = "effect" }, Guid.NewGuid(), session).ToJsonString(), "requirements must be a list of strings"),
            (CodegenTopics.Mixin, new JsonObject { ["correlation_id"] = "not-a-uuid", ["session_id"] = session.ToString("D") }.ToJsonString(), "correlation_id must be a UUID"),
        };
        var key = "poison-" + Guid.NewGuid().ToString("N");
        var sent = new List<DeliveryResult<string, string>>();
        foreach (var (step, value, _) in bad) sent.Add(await SendAsync(step, key, value, new Headers { { "producer_header", Encoding.UTF8.GetBytes("kept") } }));
        // Behind the poison, on the same key (so the same partition), a good request.
        var correlation = Guid.NewGuid();
        await SendAsync(CodegenTopics.Analyze, key, Body(CodegenTopics.Analyze, correlation, session).ToJsonString());
        Assert.Single(Answers(CodegenTopics.Analyze, correlation, 1));

        foreach (var step in CodegenTopics.Steps)
        {
            var expected = bad.Select((b, i) => (b, i)).Where(x => x.b.Step == step).ToList();
            var letters = service.Kafka.ReadAll(CodegenTopics.DeadLetter(step), expected.Count, m => m.Message.Key == key, TimeSpan.FromSeconds(60));
            Assert.Equal(expected.Count, letters.Count);
            foreach (var ((_, value, error), i) in expected)
            {
                var source = sent[i];
                var letter = Assert.Single(letters, l => l.Message.Headers.Text("source_offset") == source.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    && l.Message.Headers.Text("source_partition") == source.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal(value, letter.Message.Value);
                Assert.Equal(key, letter.Message.Key);
                Assert.Equal(CodegenTopics.Request(step), letter.Message.Headers.Text("source_topic"));
                Assert.Contains(error, letter.Message.Headers.Text("error"), StringComparison.Ordinal);
                Assert.Equal("kept", letter.Message.Headers.Text("producer_header"));
            }
        }
        // Nothing was answered for them, and the group's offsets move past every one of them.
        Assert.Empty(service.Kafka.ReadAll(CodegenTopics.Response(CodegenTopics.Analyze), 0, m => m.Message.Key == key));
        var partition = sent[0].Partition.Value;
        await Eventually.TrueAsync(() => Task.FromResult(service.Kafka.Committed(Group, CodegenTopics.Request(CodegenTopics.Analyze))[partition]
            >= service.Kafka.EndOffsets(CodegenTopics.Request(CodegenTopics.Analyze))[partition]), "the poison and the good request are committed");
    }

    [Fact]
    public async Task A_request_sent_twice_is_answered_once()
    {
        var (correlation, session) = (Guid.NewGuid(), Guid.NewGuid());
        var value = Body(CodegenTopics.Mixin, correlation, session).ToJsonString();
        await SendAsync(CodegenTopics.Mixin, session.ToString("D"), value);
        await SendAsync(CodegenTopics.Mixin, session.ToString("D"), value);
        Assert.Single(Answers(CodegenTopics.Mixin, correlation, 1, linger: TimeSpan.FromSeconds(3)));
        await Eventually.TrueAsync(async () => await service.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM event_logs WHERE correlation_id = '{correlation:D}' AND event_type = 'request'") == 1
            && await service.Database.ScalarAsync<long>($"SELECT count(*) FROM event_logs WHERE correlation_id = '{correlation:D}' AND event_type = 'response'") == 1,
            "the first request and its answer are logged");
        var end = service.Kafka.EndOffsets(CodegenTopics.Request(CodegenTopics.Mixin));
        await Eventually.TrueAsync(() => Task.FromResult(service.Kafka.Committed(Group, CodegenTopics.Request(CodegenTopics.Mixin)).Zip(end).All(p => p.First >= p.Second || p.Second == 0)),
            "both copies are committed");
    }

    [Fact]
    public async Task The_trace_of_a_session_is_the_events_seen_on_the_topics_in_time_order()
    {
        var session = Guid.NewGuid();
        var (analyze, validate, broken) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var requestIds = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var sentAnalyze = await SendAsync(CodegenTopics.Analyze, session.ToString("D"), Body(CodegenTopics.Analyze, analyze, session).ToJsonString(),
            new Headers { { "event_id", Encoding.UTF8.GetBytes(requestIds[0].ToString("D")) } });
        var sentValidate = await SendAsync(CodegenTopics.Validate, session.ToString("D"), Body(CodegenTopics.Validate, validate, session).ToJsonString(),
            new Headers { { "event_id", Encoding.UTF8.GetBytes(requestIds[1].ToString("D")) } });
        var sentBroken = await SendAsync(CodegenTopics.Mixin, session.ToString("D"), With(new JsonObject { ["node_type"] = "effect" }, broken, session).ToJsonString());

        var answeredAnalyze = Assert.Single(Answers(CodegenTopics.Analyze, analyze, 1));
        var answeredValidate = Assert.Single(Answers(CodegenTopics.Validate, validate, 1));
        var letter = Assert.Single(service.Kafka.ReadAll(CodegenTopics.DeadLetter(CodegenTopics.Mixin), 1, m => m.Message.Value.Contains(broken.ToString("D"), StringComparison.Ordinal)));

        Reply trace = null!;
        await Eventually.TrueAsync(async () => (trace = await service.Http.GetReplyAsync($"/api/v1/codegen/sessions/{session:D}/trace")) is { Status: HttpStatusCode.OK }
            && trace.Data.GetProperty("events").GetArrayLength() == 6, "six events are traced");
        var events = trace.Data.GetProperty("events").EnumerateArray().ToList();
        var times = events.Select(e => e.GetProperty("timestamp").GetDateTime()).ToList();
        Assert.Equal(times.Order(), times);
        Assert.Equal(6, trace.Data.GetProperty("total_events").GetInt32());
        // Timestamps are written to the millisecond; the duration is exact.
        Assert.InRange(trace.Data.GetProperty("duration_ms").GetDouble() - (times[^1] - times[0]).TotalMilliseconds, -1, 1);

        // Each event as it was on its topic: the requests by their producer's ids, the answers by theirs, the dead letter where it sits.
        (string Type, string Topic, string Status, int Partition, long Offset, string? Id) Seen(JsonElement e) => (e.GetProperty("event_type").GetString()!, e.GetProperty("topic").GetString()!,
            e.GetProperty("status").GetString()!, e.GetProperty("partition").GetInt32(), e.GetProperty("offset").GetInt64(), e.GetProperty("event_id").GetString());
        var seen = events.Select(Seen).ToList();
        Assert.Contains(("request", CodegenTopics.Request(CodegenTopics.Analyze), "received", sentAnalyze.Partition.Value, sentAnalyze.Offset.Value, requestIds[0].ToString("D")), seen);
        Assert.Contains(("request", CodegenTopics.Request(CodegenTopics.Validate), "received", sentValidate.Partition.Value, sentValidate.Offset.Value, requestIds[1].ToString("D")), seen);
        Assert.Contains(("response", CodegenTopics.Response(CodegenTopics.Analyze), "completed", answeredAnalyze.Partition.Value, answeredAnalyze.Offset.Value, answeredAnalyze.Message.Headers.Text("event_id")), seen);
        Assert.Contains(("response", CodegenTopics.Response(CodegenTopics.Validate), "completed", answeredValidate.Partition.Value, answeredValidate.Offset.Value, answeredValidate.Message.Headers.Text("event_id")), seen);
        Assert.Contains(seen, s => s is ("request", _, "failed", _, _, _) && s.Partition == sentBroken.Partition.Value && s.Offset == sentBroken.Offset.Value);
        Assert.Contains(seen, s => s is ("error", _, "failed", _, _, _) && s.Topic == CodegenTopics.DeadLetter(CodegenTopics.Mixin) && s.Partition == letter.Partition.Value && s.Offset == letter.Offset.Value);
        // Each answer after its request; the payloads are the messages.
        foreach (var correlation in new[] { analyze, validate })
        {
            var pair = events.Where(e => e.GetProperty("correlation_id").GetString() == correlation.ToString("D")).ToList();
            Assert.Equal(["request", "response"], pair.Select(e => e.GetProperty("event_type").GetString()));
            Assert.True(pair[1].GetProperty("processing_time_ms").GetDouble() >= 0);
        }
        var answerPayload = events.Single(e => e.GetProperty("event_id").GetString() == answeredAnalyze.Message.Headers.Text("event_id")).GetProperty("payload");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(answeredAnalyze.Message.Value), JsonNode.Parse(answerPayload.GetRawText())));
        Assert.Contains("requirements is required", events.Single(e => e.GetProperty("event_type").GetString() == "error").GetProperty("error").GetString(), StringComparison.Ordinal);

        // In PostgreSQL's event_logs, once each.
        Assert.Equal(6, await service.Database.ScalarAsync<long>($"SELECT count(*) FROM event_logs WHERE session_id = '{session:D}'"));

        var metrics = (await service.Http.GetReplyAsync($"/api/v1/codegen/sessions/{session:D}/trace/metrics")).Data;
        Assert.Equal(6, metrics.GetProperty("total_events").GetInt32());
        Assert.Equal(2, metrics.GetProperty("failed_events").GetInt32());
        Assert.Equal(3, metrics.GetProperty("processing_time").GetProperty("measured").GetInt32());
        Assert.Equal(2, metrics.GetProperty("by_event_type").GetProperty("response").GetInt32());
        Assert.True(metrics.GetProperty("topics").GetArrayLength() == 6, metrics.ToString());
        Assert.All(metrics.GetProperty("topics").EnumerateArray(), t => Assert.True(t.TryGetProperty("over_1s", out _) && t.TryGetProperty("over_5s", out _)));

        var correlated = await service.Http.GetReplyAsync($"/api/v1/codegen/events?correlation_id={analyze:D}");
        Assert.Equal(HttpStatusCode.OK, correlated.Status);
        Assert.Equal([requestIds[0].ToString("D"), answeredAnalyze.Message.Headers.Text("event_id")],
            correlated.Data.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event_id").GetString()));
    }

    [Fact]
    public async Task The_tracer_answers_400_for_a_bad_id_or_no_correlation_id_and_404_for_a_session_without_events()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await service.Http.GetReplyAsync("/api/v1/codegen/sessions/not-a-uuid/trace")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await service.Http.GetReplyAsync("/api/v1/codegen/sessions/not-a-uuid/trace/metrics")).Status);
        var missing = await service.Http.GetReplyAsync("/api/v1/codegen/events");
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal("correlation_id", missing.ErrorField);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Http.GetReplyAsync($"/api/v1/codegen/sessions/{Guid.NewGuid():D}/trace")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Http.GetReplyAsync($"/api/v1/codegen/sessions/{Guid.NewGuid():D}/trace/metrics")).Status);
        var none = await service.Http.GetReplyAsync($"/api/v1/codegen/events?correlation_id={Guid.NewGuid():D}");
        Assert.Equal(HttpStatusCode.OK, none.Status);
        Assert.Equal(0, none.Data.GetProperty("events").GetArrayLength());
    }
}
