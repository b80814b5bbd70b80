namespace OmniBridge.Grains.Interfaces.Reducers;

/// <summary>
/// A stamp record was created: published on the namespace's stamp-created stream, once per record.
/// It carries the record's id only: the reducer folds the record from the store (its backlog), so
/// an event costs the stream a few bytes however large the record. Its event id is the record's
/// stamp id, so a consumer can tell a redelivery from a new event.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record class StampCreated
{
    // Id 0 carried the whole record until 2026-12-06; an event from an older silo reads with an empty id,
    // which folds nothing, and the reducer's sweep folds that record from the store.
    [Id(1)] public required Guid StampId { get; init; }

    public Guid EventId => StampId;
}
