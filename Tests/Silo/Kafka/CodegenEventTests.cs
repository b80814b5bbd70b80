using System.Net;
using System.Text.Json;
using OmniBridge.Grains.Events;
using OmniBridge.Tests.Fixtures;
using static OmniBridge.Tests.Api.Codegen.CodegenRequestBodies;

namespace OmniBridge.Tests.Silo.Kafka;

/// <summary>
/// docs/codegen-events.md, "Status": a generation's own progress goes to the status topic only, through the outbox, as the
/// original's status events (signed envelopes keyed by session); the request and response topics are the protocol's
/// (other parties' requests, the service's answers), so a generation writes nothing there.
/// </summary>
public sealed class CodegenEventTests(KafkaService service) : IClassFixture<KafkaService>
{
    List<Confluent.Kafka.ConsumeResult<string, string>> MessagesOf(string topic, string sessionId, int expected) =>
        service.Kafka.ReadAll(topic, expected, m => m.Message.Key == sessionId, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1));

    [Fact]
    public async Task A_generation_publishes_its_progress_as_status_events_keyed_by_session_and_nothing_on_the_request_or_response_topics()
    {
        var reply = await service.Http.PostJsonAsync(Generate, new { requirements = Requirements("evented_node"), strategy = "template" });
        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        var sessionId = reply.Data.GetProperty("session_id").GetString()!;

        var messages = MessagesOf(CodegenTopics.Status, sessionId, 6);
        var statuses = messages.Select(m => JsonDocument.Parse(m.Message.Value).RootElement).ToList();
        Assert.Equal(
            ["pending:parse_contract", "processing:parse_contract", "processing:generate_model", "processing:validate_quality", "processing:package_node", "completed:package_node"],
            statuses.Select(e => e.GetProperty("payload").GetProperty("status").GetString() + ":" + e.GetProperty("payload").GetProperty("metadata").GetProperty("stage").GetString()));
        Assert.All(statuses, e =>
        {
            Assert.Equal("codegen-status-session", e.GetProperty("event_type").GetString());
            var payload = e.GetProperty("payload");
            // The original's CodegenStatusEvent: session_id, status, progress_percentage, message, metadata (and its timestamp and schema_version).
            Assert.Equal(["message", "metadata", "progress_percentage", "schema_version", "session_id", "status", "timestamp"], payload.EnumerateObject().Select(p => p.Name).Order());
            Assert.Equal(sessionId, payload.GetProperty("session_id").GetString());
            Assert.InRange(payload.GetProperty("progress_percentage").GetDouble(), 0, 100);
            Assert.Equal("1.0", payload.GetProperty("schema_version").GetString());
            Assert.Contains(payload.GetProperty("metadata").GetProperty("stage").GetString()!, payload.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal("template", payload.GetProperty("metadata").GetProperty("strategy").GetString());
            Assert.Equal(sessionId, e.GetProperty("metadata").GetProperty("session_id").GetString());
            Assert.Equal(64, e.GetProperty("security_context").GetProperty("hmac_signature").GetString()!.Length);
        });
        Assert.Equal(100, statuses[^1].GetProperty("payload").GetProperty("progress_percentage").GetDouble());
        var percentages = statuses.Select(e => e.GetProperty("payload").GetProperty("progress_percentage").GetDouble()).ToList();
        Assert.Equal(percentages.Order(), percentages);
        // Each status event's id is its event_id header, once.
        Assert.Equal(statuses.Select(e => e.GetProperty("event_id").GetString()), messages.Select(m => m.Message.Headers.Text("event_id")));
        Assert.Equal(6, messages.Select(m => m.Message.Headers.Text("event_id")).Distinct().Count());

        foreach (var step in CodegenTopics.Steps)
        {
            Assert.Empty(service.Kafka.ReadAll(CodegenTopics.Request(step), 0, m => m.Message.Key == sessionId || m.Message.Value.Contains(sessionId, StringComparison.Ordinal)));
            Assert.Empty(service.Kafka.ReadAll(CodegenTopics.Response(step), 0, m => m.Message.Key == sessionId));
        }

        // The tracer has the same six events, with the ids seen on the topic, in order, and the session completed.
        await Eventually.TrueAsync(async () => (await service.Http.GetReplyAsync($"/api/v1/codegen/sessions/{sessionId}/trace")) is { Status: HttpStatusCode.OK } r
            && r.Data.GetProperty("events").GetArrayLength() == 6, "the status events are in event_logs");
        var trace = (await service.Http.GetReplyAsync($"/api/v1/codegen/sessions/{sessionId}/trace")).Data;
        Assert.Equal("completed", trace.GetProperty("status").GetString());
        var events = trace.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(messages.Select(m => m.Message.Headers.Text("event_id")), events.Select(e => e.GetProperty("event_id").GetString()));
        Assert.Equal(messages.Select(m => (m.Partition.Value, m.Offset.Value)), events.Select(e => (e.GetProperty("partition").GetInt32(), e.GetProperty("offset").GetInt64())));
        Assert.All(events, e => Assert.Equal("status", e.GetProperty("event_type").GetString()));
        Assert.Equal(statuses.Select(s => s.GetProperty("payload").GetProperty("status").GetString()), events.Select(e => e.GetProperty("payload").GetProperty("payload").GetProperty("status").GetString()));
    }

    [Fact]
    public void Codegen_dead_letters_go_to_the_originals_dlq_topics()
    {
        Assert.Equal("omninode_codegen_dlq_analyze_v1", EventTopics.DeadLetter("omninode_codegen_request_analyze_v1"));
        Assert.Equal("omninode_codegen_dlq_mixin_v1", EventTopics.DeadLetter("omninode_codegen_response_mixin_v1"));
        Assert.Equal("test.omninode-bridge.metadata.metadata-stamp-created.v1.dlq", EventTopics.DeadLetter(service.Topics.StampCreated));
    }
}
