using System.Text;
using System.Text.Json.Nodes;
using OmniBridge.Grains.Codegen.Events;
using OmniBridge.Grains.Interfaces.Codegen.Events;

namespace OmniBridge.Tests.Grains.Codegen;

/// <summary>docs/codegen-events.md: how a PRD is read, what makes a request unreadable, and the tracer's arithmetic.</summary>
public sealed class CodegenEventRulesTests
{
    [Fact]
    public void Stated_facts_win_over_the_documents_shape_and_the_confidence_counts_what_was_stated()
    {
        var stated = PrdAnalysis.Derive("""
            # Something Else Entirely
            node type: reducer
            service name: Sales Rollup
            operations: ingest sale, emit total
            features: hourly windows, late data
            """, new JsonObject { ["node_type"] = "effect", ["domain"] = "sales" });
        Assert.Equal("reducer", stated.Requirements.NodeType);
        Assert.Equal("sales_rollup", stated.Requirements.ServiceName);
        Assert.Equal(["ingest_sale", "emit_total"], stated.Requirements.Operations);
        Assert.Equal(["hourly windows", "late data"], stated.Requirements.Features);
        Assert.Equal("sales", stated.Requirements.Domain);
        Assert.Equal(1.0, stated.Confidence);

        var bare = PrdAnalysis.Derive("nothing useful here", null);
        Assert.Equal("effect", bare.Requirements.NodeType);
        Assert.Equal("generated_node", bare.Requirements.ServiceName);
        Assert.Equal(["execute"], bare.Requirements.Operations);
        Assert.Empty(bare.Requirements.Features);
        Assert.True(bare.Confidence < 0.5);
        Assert.Contains(bare.Notes, n => n.Contains("effect", StringComparison.Ordinal));
    }

    [Fact]
    public void The_node_type_follows_the_cues_the_text_names_most()
    {
        Assert.Equal("orchestrator", PrdAnalysis.Derive("# Saga\nCoordinates a multi-step workflow across services, orchestrating each step.", null).Requirements.NodeType);
        Assert.Equal("reducer", PrdAnalysis.Derive("# Totals\nAggregates events and summarizes them into rollups.", null).Requirements.NodeType);
        Assert.Equal("compute", PrdAnalysis.Derive("# Scorer\nCalculates a score; a pure function that transforms input.", null).Requirements.NodeType);
    }

    [Theory]
    [InlineData("analyze", "[1,2]", "not a JSON object")]
    [InlineData("analyze", "{\"correlation_id\":\"3f1c\",\"session_id\":\"0b6d2c51-3a2f-4c1e-9d0e-5f1a2b3c4d5e\",\"prd_content\":\"x\"}", "correlation_id must be a UUID")]
    [InlineData("analyze", "{\"correlation_id\":\"0b6d2c51-3a2f-4c1e-9d0e-5f1a2b3c4d5e\",\"session_id\":\"0b6d2c51-3a2f-4c1e-9d0e-5f1a2b3c4d5e\",\"prd_content\":\"x\",\"analysis_type\":\"deep\"}", "analysis_type must be one of")]
    [InlineData("validate", "{\"correlation_id\":\"0b6d2c51-3a2f-4c1e-9d0e-5f1a2b3c4d5e\",\"session_id\":\"0b6d2c51-3a2f-4c1e-9d0e-5f1a2b3c4d5e\",\"code_content\":\"x\",\"node_type\":\"effect\",\"contracts\":[\"a\"]}", "contracts must be a list of objects")]
    [InlineData("pattern", "{\"correlation_id\":\"0b6d2c51-3a2f-4c1e-9d0e-5f1a2b3c4d5e\",\"session_id\":\"0b6d2c51-3a2f-4c1e-9d0e-5f1a2b3c4d5e\",\"node_description\":\"x\",\"node_type\":\"effect\",\"limit\":21}", "limit must be")]
    [InlineData("mixin", "{\"correlation_id\":\"0b6d2c51-3a2f-4c1e-9d0e-5f1a2b3c4d5e\",\"session_id\":\"0b6d2c51-3a2f-4c1e-9d0e-5f1a2b3c4d5e\",\"node_type\":\"effect\"}", "requirements is required")]
    public void A_message_outside_its_schema_is_unreadable_with_the_reason(string step, string json, string reason)
    {
        var refused = Assert.Throws<UnreadableCodegenRequestException>(() => CodegenRequestReader.Read(step, Encoding.UTF8.GetBytes(json)));
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_the_originals()
    {
        var request = CodegenRequestReader.Read("pattern", Encoding.UTF8.GetBytes("""{"correlation_id":"0b6d2c51-3a2f-4c1e-9d0e-5f1a2b3c4d5e","session_id":"7d3c1a52-8e4f-4b6a-9c2d-1e0f3a4b5c6d","node_description":"x","node_type":"compute","extra":1}"""));
        Assert.Equal(5, request.Body["limit"]!.GetValue<int>());
        Assert.Equal("full", CodegenRequestReader.Read("validate", Encoding.UTF8.GetBytes("""{"correlation_id":"0b6d2c51-3a2f-4c1e-9d0e-5f1a2b3c4d5e","session_id":"7d3c1a52-8e4f-4b6a-9c2d-1e0f3a4b5c6d","code_content":"x","node_type":"compute"}""")).Text("validation_type"));
    }

    static CodegenEventRecord Event(int ms, string status, double? time, string topic = "t") => new()
    {
        EventId = Guid.NewGuid(),
        EventType = CodegenEventTypes.Response,
        Topic = topic,
        Timestamp = new DateTime(2026, 12, 6, 9, 0, 0, DateTimeKind.Utc).AddMilliseconds(ms),
        Status = status,
        ProcessingTimeMs = time,
        Payload = "{}",
    };

    [Fact]
    public void Trace_status_percentiles_and_bottlenecks_follow_the_rules()
    {
        var session = Guid.NewGuid();
        Assert.Null(CodegenTraces.Trace(session, []));
        Assert.Equal("completed", CodegenTraces.Status([Event(0, "received", null), Event(5, "completed", 1)]));
        Assert.Equal("failed", CodegenTraces.Status([Event(0, "failed", null), Event(5, "received", 1)]));
        Assert.Equal("in_progress", CodegenTraces.Status([Event(0, "sent", null), Event(5, "processing", 1)]));

        var events = new[] { Event(0, "completed", 100, "a"), Event(10, "completed", 1500, "b"), Event(20, "completed", 2500, "c"), Event(30, "failed", 6000, "c"), Event(40, "received", null, "a") };
        var metrics = CodegenTraces.Metrics(session, events)!;
        Assert.Equal(4, metrics.ProcessingTime.Measured);
        Assert.Equal(2000, metrics.ProcessingTime.P50Ms);
        Assert.Equal(6000 - 0.05 * 3 * 3500, metrics.ProcessingTime.P95Ms, 3);
        Assert.Equal(["c", "b"], metrics.Bottlenecks.Select(b => b.Topic));
        Assert.Equal(("high", 2, 2, 1), (metrics.Bottlenecks[0].Severity, metrics.Bottlenecks[0].Over1s, metrics.Bottlenecks[0].Over2s, metrics.Bottlenecks[0].Over5s));
        Assert.Equal("low", metrics.Bottlenecks[1].Severity);
        Assert.Equal(40, metrics.DurationMs);
        Assert.Equal(1, metrics.FailedEvents);
    }
}
