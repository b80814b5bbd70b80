namespace OmniBridge.Silo.Memory;

/// <summary>
/// The events one publication put on a run-signal stream, as a signal queue keeps them until its reader takes them
/// (numbered then, <see cref="InMemorySignalBatch"/>). Tagged for Orleans' serializer: a cluster's queue is a grain.
/// </summary>
[GenerateSerializer, Alias("omnibridge.memory.queued_signals")]
public sealed class QueuedSignals
{
    [Id(0)] public required StreamId StreamId { get; init; }
    [Id(1)] public required List<object> Events { get; init; }
}
