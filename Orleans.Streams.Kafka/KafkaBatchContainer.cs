using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace OmniBridge.Orleans.Streams.Kafka;

/// <summary>
/// One Kafka message as Orleans delivers it: the stream it belongs to, its events, and a token
/// whose sequence number is the message's offset in its partition. It travels through the Orleans
/// serializer, so every member consumers need is tagged.
/// </summary>
[GenerateSerializer, Alias("omnibridge.kafka.batch")]
public sealed class KafkaBatchContainer : IBatchContainer
{
    [Id(0)] public required StreamId StreamId { get; init; }
    [Id(1)] public required List<object> Events { get; init; }
    [Id(2)] public required EventSequenceTokenV2 Token { get; init; }
    [Id(3)] public Dictionary<string, object>? RequestContext { get; init; }

    public StreamSequenceToken SequenceToken => Token;

    /// <summary>The message's offset in its partition.</summary>
    public long Offset => Token.SequenceNumber;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Events.OfType<T>().Select((e, i) => Tuple.Create<T, StreamSequenceToken>(e, Token.CreateSequenceTokenForEvent(i)));

    public bool ImportRequestContext()
    {
        if (RequestContext is null) return false;
        RequestContextExtensions.Import(RequestContext);
        return true;
    }

    public override string ToString() => $"KafkaBatchContainer({StreamId}, offset {Offset}, {Events.Count} events)";
}
