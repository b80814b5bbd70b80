using System.Collections.Concurrent;

namespace OmniBridge.Orleans.Streams.Kafka.Tests.Fixtures;

/// <summary>One event as a consumer grain received it: its stream, what it said, and the offset its token carried.</summary>
public sealed record class Delivery(string Namespace, string Key, string Text, long? Offset);

/// <summary>
/// What the consumer grains of one test cluster received, in the order they received it. Each test
/// makes its own and hands it to its silos' services: no state is shared between tests.
/// </summary>
public sealed class Deliveries
{
    readonly ConcurrentQueue<Delivery> received = new();

    public void Add(Delivery delivery) => received.Enqueue(delivery);

    public IReadOnlyList<Delivery> All => [.. received];

    /// <summary>The texts stream <paramref name="key"/> of <paramref name="ns"/> received, in order, replays included.</summary>
    public IReadOnlyList<string> Texts(string ns, string key) => [.. received.Where(d => d.Namespace == ns && d.Key == key).Select(d => d.Text)];

    public int Count => received.Count;
}
