using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Grains.Interfaces.Reducers;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Grains.Interfaces.Workflows;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Stamping;
using Orleans.Streams;

namespace OmniBridge.Grains.Events;

/// <summary>
/// No broker configured (the embedded default, or PostgreSQL without Kafka): stamp-created events go
/// onto the silo's in-memory streams, for the namespace reducers; the other events have no reader
/// and are not made. A record whose event is lost is still counted: the reducer also folds what it
/// finds unreduced in the store.
/// </summary>
public sealed class StreamEventPath(IServiceProvider services) : IEventPath
{
    IStreamProvider Streams => services.GetRequiredKeyedService<IStreamProvider>(StampStreams.Provider);

    public StampOutboxEvents? WithStamps(IReadOnlyList<StampRecord> candidates, string? correlationId, BatchSummary? batch = null) => null;

    public Task CreatedAsync(IReadOnlyList<StampRecord> created) =>
        created.Count == 0 ? Task.CompletedTask : StampEvents.PublishCreatedAsync(Streams, created);

    public Task ValidatedAsync(string fileHash, string namespaceName, bool isValid, int stampsFound, string? correlationId) => Task.CompletedTask;

    public IReadOnlyList<OutboxEvent>? WithJournal(WorkflowView saved) => null;

    public OutboxEvent? Codegen(string topic, string eventType, Guid sessionId, string fact, JsonObject payload) => null;

    public Task PublishAsync(IReadOnlyList<OutboxEvent> events) => Task.CompletedTask;
}
