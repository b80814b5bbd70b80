using System.Text.Json.Nodes;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Workflows;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Grains.Events;

/// <summary>
/// Kafka configured: every event is an OnexEnvelopeV1 written to the outbox, with the change it
/// reports where there is one (the same transaction), and the relay publishes it. The reducers read
/// stamp-created events back from their topic, so nothing is announced in memory.
/// </summary>
public sealed class OutboxEventPath(EventEnvelopes envelopes, IEventOutbox outbox) : IEventPath
{
    public StampOutboxEvents? WithStamps(IReadOnlyList<StampRecord> candidates, string? correlationId, BatchSummary? batch = null) => new(
        [.. candidates.Select(c => envelopes.StampCreated(c, correlationId))],
        batch is null ? [] : [envelopes.BatchProcessed(batch.BatchId, batch.Namespace, batch.Total, batch.Successful, batch.ProcessingTimeMs, correlationId)]);

    public Task CreatedAsync(IReadOnlyList<StampRecord> created) => Task.CompletedTask;

    public Task ValidatedAsync(string fileHash, string namespaceName, bool isValid, int stampsFound, string? correlationId) =>
        outbox.AddAsync([envelopes.StampValidated(fileHash, namespaceName, isValid, stampsFound, correlationId)]);

    public IReadOnlyList<OutboxEvent>? WithJournal(WorkflowView saved) => [.. envelopes.WorkflowMoves(saved)];

    public OutboxEvent? Codegen(string topic, string eventType, Guid sessionId, string fact, JsonObject payload) =>
        envelopes.Codegen(topic, eventType, sessionId, fact, payload);

    public Task PublishAsync(IReadOnlyList<OutboxEvent> events) => events.Count == 0 ? Task.CompletedTask : outbox.AddAsync(events);
}
