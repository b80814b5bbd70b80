using System.Net;
using System.Text.Json;
using OmniBridge.Grains.Events;
using OmniBridge.Tests.Fixtures;
using static OmniBridge.Tests.Api.Codegen.CodegenRequestBodies;

namespace OmniBridge.Tests.Silo.Kafka;

/// <summary>docs/protocol.md, "Code generation" codegen events on the original's topic names, through the outbox, on a real Kafka protocol endpoint.</summary>
public sealed class CodegenEventTests(KafkaService service) : IClassFixture<KafkaService>
{
    List<JsonElement> EventsOf(string topic, string sessionId, int expected) =>
        [.. service.Kafka.ReadAll(topic, expected, m => m.Message.Key == sessionId, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1))
            .Select(m => JsonDocument.Parse(m.Message.Value).RootElement)];

    [Fact]
    public async Task A_generation_publishes_its_status_and_each_steps_request_and_response_keyed_by_session()
    {
        var reply = await service.Http.PostJsonAsync(Generate, new { requirements = Requirements("evented_node"), strategy = "template" });
        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        var sessionId = reply.Data.GetProperty("session_id").GetString()!;

        var statuses = EventsOf(CodegenTopics.Status, sessionId, 6);
        Assert.Equal(
            ["pending:parse_contract", "processing:parse_contract", "processing:generate_model", "processing:validate_quality", "processing:package_node", "completed:package_node"],
            statuses.Select(e => e.GetProperty("payload").GetProperty("status").GetString() + ":" + e.GetProperty("payload").GetProperty("stage").GetString()));
        Assert.All(statuses, e =>
        {
            Assert.Equal("codegen-status-session", e.GetProperty("event_type").GetString());
            Assert.Equal(sessionId, e.GetProperty("payload").GetProperty("session_id").GetString());
            Assert.Equal(sessionId, e.GetProperty("metadata").GetProperty("session_id").GetString());
            Assert.Equal(64, e.GetProperty("security_context").GetProperty("hmac_signature").GetString()!.Length);
        });
        Assert.Equal(1.0, statuses[^1].GetProperty("payload").GetProperty("progress").GetDouble());

        foreach (var step in CodegenTopics.Steps)
        {
            Assert.Single(EventsOf(CodegenTopics.Request(step), sessionId, 1));
            Assert.Single(EventsOf(CodegenTopics.Response(step), sessionId, 1));
        }
        var mixins = EventsOf(CodegenTopics.Response(CodegenTopics.Mixin), sessionId, 1)[0].GetProperty("payload").GetProperty("mixins");
        Assert.Equal(reply.Data.GetProperty("mixins").ToString(), mixins.ToString());
        var validated = EventsOf(CodegenTopics.Response(CodegenTopics.Validate), sessionId, 1)[0].GetProperty("payload");
        Assert.True(validated.GetProperty("validation_passed").GetBoolean());
    }

    [Fact]
    public void Codegen_dead_letters_go_to_the_originals_dlq_topics()
    {
        Assert.Equal("omninode_codegen_dlq_analyze_v1", EventTopics.DeadLetter("omninode_codegen_request_analyze_v1"));
        Assert.Equal("omninode_codegen_dlq_mixin_v1", EventTopics.DeadLetter("omninode_codegen_response_mixin_v1"));
        Assert.Equal("test.omninode-bridge.metadata.metadata-stamp-created.v1.dlq", EventTopics.DeadLetter(service.Topics.StampCreated));
    }
}
