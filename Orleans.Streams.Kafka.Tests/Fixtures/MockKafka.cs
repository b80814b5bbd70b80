using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace OmniBridge.Orleans.Streams.Kafka.Tests.Fixtures;

/// <summary>
/// librdkafka's mock cluster: one broker in this process that speaks the Kafka protocol on a
/// loopback port the broker picks, so the provider's clients and the tests' own reach it over TCP.
/// It lives as long as this object. Topics are created by their first message, with 4 partitions.
/// </summary>
public sealed class MockKafka : IDisposable
{
    /// <summary>Partitions of every topic the mock broker creates.</summary>
    public const int Partitions = 4;

    readonly IAdminClient owner;
    readonly Lazy<IProducer<string?, string>> producer;

    public MockKafka()
    {
        owner = new AdminClientBuilder(new AdminClientConfig(new Dictionary<string, string> { ["test.mock.num.brokers"] = "1" })).SetLogHandler((_, _) => { }).Build();
        var broker = owner.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Single();
        BootstrapServers = $"{broker.Host}:{broker.Port}";
        producer = new(() => new ProducerBuilder<string?, string>(new ProducerConfig { BootstrapServers = BootstrapServers, EnableIdempotence = true })
            .SetLogHandler((_, _) => { }).Build());
    }

    /// <summary>host:port of the broker.</summary>
    public string BootstrapServers { get; }

    /// <summary>Produces one message to a partition, as any other application would; returns its offset.</summary>
    public async Task<long> ProduceAsync(string topic, int partition, string? key, string value, Headers? headers = null)
    {
        var result = await producer.Value.ProduceAsync(new TopicPartition(topic, partition), new Message<string?, string> { Key = key, Value = value, Headers = headers });
        return result.Offset.Value;
    }

    /// <summary>
    /// Produces the messages all at once (the producer is idempotent, so each partition keeps their
    /// order) and waits for every one to be written.
    /// </summary>
    public async Task ProduceAllAsync(string topic, IEnumerable<(int Partition, string? Key, string Value)> messages) =>
        await Task.WhenAll(messages.Select(m => producer.Value.ProduceAsync(new TopicPartition(topic, m.Partition), new Message<string?, string> { Key = m.Key, Value = m.Value })));

    /// <summary>
    /// Every message of <paramref name="topic"/> from the beginning, read by a consumer of its own:
    /// waits until at least <paramref name="expected"/> have come, then reads on a little longer
    /// so that a duplicate would show.
    /// </summary>
    public List<ConsumeResult<string?, string>> ReadAll(string topic, int expected, TimeSpan? linger = null)
    {
        using var consumer = new ConsumerBuilder<string?, string>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = "test-reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(30);
        consumer.Assign(PartitionsOf(topic, deadline).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var read = new List<ConsumeResult<string?, string>>();
        TimeSpan? until = expected == 0 ? linger ?? TimeSpan.FromSeconds(1) : null;
        while (clock.Elapsed < (until ?? deadline))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } message) read.Add(message);
            if (until is null && read.Count >= expected) until = clock.Elapsed + (linger ?? TimeSpan.FromSeconds(1));
        }
        consumer.Close();
        return read;
    }

    /// <summary>The offsets <paramref name="group"/> committed on each partition of <paramref name="topic"/> (negative where none).</summary>
    public IReadOnlyList<long> Committed(string group, string topic)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = group }).SetLogHandler((_, _) => { }).Build();
        return [.. consumer.Committed(PartitionsOf(topic, TimeSpan.FromSeconds(10)).Select(p => new TopicPartition(topic, p)), TimeSpan.FromSeconds(10))
            .OrderBy(o => o.Partition.Value).Select(o => o.Offset.Value)];
    }

    /// <summary>The offset after the last message of each partition of <paramref name="topic"/>.</summary>
    public IReadOnlyList<long> EndOffsets(string topic)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = "ends" }).SetLogHandler((_, _) => { }).Build();
        return [.. PartitionsOf(topic, TimeSpan.FromSeconds(10)).Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value)];
    }

    List<Partition> PartitionsOf(string topic, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var metadata = owner.GetMetadata(topic, TimeSpan.FromSeconds(5)).Topics.SingleOrDefault(t => t.Topic == topic);
            if (metadata is { Error.IsError: false, Partitions.Count: > 0 }) return [.. metadata.Partitions.OrderBy(p => p.PartitionId).Select(p => new Partition(p.PartitionId))];
            if (clock.Elapsed > within) throw new Xunit.Sdk.XunitException($"topic {topic} never appeared");
            Thread.Sleep(100);
        }
    }

    public void Dispose()
    {
        if (producer.IsValueCreated) producer.Value.Dispose();
        owner.Dispose();
    }
}

/// <summary>Kafka headers as text.</summary>
public static class KafkaHeaders
{
    public static string? Text(this Headers headers, string name) =>
        headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : null;

    public static Headers Of(params (string Name, string Value)[] headers)
    {
        var all = new Headers();
        foreach (var (name, value) in headers) all.Add(name, Encoding.UTF8.GetBytes(value));
        return all;
    }
}
