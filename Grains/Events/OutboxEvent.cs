namespace OmniBridge.Grains.Events;

/// <summary>An event ready for the outbox: where it goes, under which key, and its OnexEnvelopeV1 JSON.</summary>
[GenerateSerializer, Immutable]
public sealed record class OutboxEvent(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string Topic,
    [property: Id(2)] string PartitionKey,
    [property: Id(3)] string EventType,
    [property: Id(4)] string Envelope,
    [property: Id(5)] string? TraceParent = null);

/// <summary>
/// Events to write with a batch of stamp records, in the same transaction: one per record, written
/// only if that record is created by this call (its event id is the record's stamp id), and others
/// written whatever happens (the batch summary).
/// </summary>
public sealed record class StampOutboxEvents(IReadOnlyList<OutboxEvent> IfCreated, IReadOnlyList<OutboxEvent> Always);
