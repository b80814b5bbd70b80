using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Grains.Interfaces.Reducers;

/// <summary>
/// A stamp record was created: published on the namespace's stamp-created stream, once per record.
/// Its event id is the record's stamp id, so a consumer can tell a redelivery from a new event.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record class StampCreated
{
    [Id(0)] public required StampRecord Record { get; init; }

    public Guid EventId => Record.StampId;
}
