using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace OmniBridge.Silo.Memory;

/// <summary>
/// The events one publication put on a stream of <see cref="InMemorySignalAdapter"/>, with the queue's sequence number.
/// It is delivered to subscribers through Orleans' serializer, so its members are tagged.
/// </summary>
[GenerateSerializer, Alias("omnibridge.memory.signal_batch")]
public sealed class InMemorySignalBatch : IBatchContainer
{
    [Id(0)] public required StreamId StreamId { get; init; }
    [Id(1)] public required List<object> Events { get; init; }
    [Id(2)] public required EventSequenceTokenV2 Token { get; init; }

    public StreamSequenceToken SequenceToken => Token;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Events.OfType<T>().Select((e, i) => Tuple.Create<T, StreamSequenceToken>(e, Token.CreateSequenceTokenForEvent(i)));

    public bool ImportRequestContext() => false;
}
