using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace OmniBridge.Silo.Memory;

/// <summary>
/// The events one publication put on a run-signal stream, numbered by the queue's reader in the order it took them
/// (<see cref="InMemorySignalAdapter"/>, <see cref="SignalQueueAdapter"/>). It is delivered to subscribers through
/// Orleans' serializer, so its members are tagged.
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

    /// <summary>What a read took from a queue, numbered after <paramref name="sequence"/> (which it moves on).</summary>
    public static IList<IBatchContainer> Number(List<QueuedSignals> taken, ref long sequence)
    {
        var batches = new List<IBatchContainer>(taken.Count);
        foreach (var signals in taken)
            batches.Add(new InMemorySignalBatch { StreamId = signals.StreamId, Events = signals.Events, Token = new EventSequenceTokenV2(++sequence) });
        return batches;
    }
}
