using System.Text.Json.Nodes;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Workflows;

namespace OmniBridge.Grains.Ports;

/// <summary>
/// Where the grains' events go, chosen once when the silo starts (docs/architecture.md, "Events"):
/// with Kafka, into the transactional outbox with the change each reports, for the relay to
/// publish (<see cref="OutboxEventPath"/>); without, onto the silo's in-memory streams for the
/// namespace reducers only (<see cref="StreamEventPath"/>). The grains always call it and never
/// ask which it is.
/// </summary>
public interface IEventPath
{
    /// <summary>
    /// The events the store writes in the transaction that adds <paramref name="candidates"/>: each
    /// created record's stamp-created event, and the batch's summary if given. Null when events do
    /// not travel with the rows.
    /// </summary>
    StampOutboxEvents? WithStamps(IReadOnlyList<StampRecord> candidates, string? correlationId, BatchSummary? batch = null);

    /// <summary>After the store: tells the namespace reducers about the records this call created, where the rows did not carry their events.</summary>
    /// <exception cref="Exception">The events could not be handed over (the records are stored either way).</exception>
    Task CreatedAsync(IReadOnlyList<StampRecord> created);

    /// <summary>A validation, which stores nothing: its event goes on its own, or nowhere.</summary>
    Task ValidatedAsync(string fileHash, string namespaceName, bool isValid, int stampsFound, string? correlationId);

    /// <summary>The events written with a workflow's journal rows (one per move, one for its end); null when none are.</summary>
    IReadOnlyList<OutboxEvent>? WithJournal(WorkflowView saved);

    /// <summary>A code generation's event (its status, a step's request or response), to hand over with <see cref="PublishAsync"/>; null when none is kept.</summary>
    OutboxEvent? Codegen(string topic, string eventType, Guid sessionId, string fact, JsonObject payload);

    /// <summary>Hands over events made by <see cref="Codegen"/>.</summary>
    Task PublishAsync(IReadOnlyList<OutboxEvent> events);
}

/// <summary>What a /batch call did, for its batch-processed event.</summary>
public sealed record class BatchSummary(Guid BatchId, string Namespace, int Total, int Successful, double ProcessingTimeMs);
