using System.Text.Json.Nodes;
using OmniBridge.Grains.Codegen.Events;
using OmniBridge.Grains.Interfaces.Codegen.Events;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Workflows;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Grains.Events;

/// <summary>
/// No broker configured (the embedded default, or PostgreSQL without Kafka): stamp-created events go
/// onto the silo's in-memory streams (gathered by <see cref="StampCreatedFeed"/>), for the namespace reducers; the other events have no reader
/// and are not made, except the code generation sessions' status events, which go to event_logs only, so the tracer
/// follows a session without Kafka too (docs/codegen-events.md, "Tracer"). A record whose event is lost is still counted: the reducer also folds what it
/// finds unreduced in the store.
/// </summary>
public sealed class StreamEventPath(StampCreatedFeed feed, EventEnvelopes envelopes, ICodegenEventLog codegenEvents) : IEventPath
{
    public StampOutboxEvents? WithStamps(IReadOnlyList<StampRecord> candidates, string? correlationId, BatchSummary? batch = null) => null;

    public Task CreatedAsync(IReadOnlyList<StampRecord> created) => feed.PublishAsync(created);

    public Task ValidatedAsync(string fileHash, string namespaceName, bool isValid, int stampsFound, string? correlationId) => Task.CompletedTask;

    public IReadOnlyList<OutboxEvent>? WithJournal(WorkflowView saved) => null;

    public OutboxEvent? Codegen(string topic, string eventType, Guid sessionId, string fact, JsonObject payload) =>
        topic == CodegenTopics.Status ? envelopes.Codegen(topic, eventType, sessionId, fact, payload) : null;

    public Task PublishAsync(IReadOnlyList<OutboxEvent> events) =>
        codegenEvents.AppendAsync([.. events.Select(e => CodegenStatusRecord.Of(e.EventId, e.Envelope, e.Topic)).OfType<CodegenEventRecord>()]);
}
