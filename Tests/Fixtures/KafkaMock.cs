using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace OmniBridge.Tests.Fixtures;

/// <summary>
/// librdkafka's mock cluster: one broker in this process that speaks the real Kafka protocol on a
/// loopback port, so the silo's clients and the tests' own clients talk to it over TCP. It lives as
/// long as this object. Topics auto-create with 4 partitions.
/// </summary>
public sealed class KafkaMock : IDisposable
{
    readonly IAdminClient owner;

    public KafkaMock()
    {
        owner = new AdminClientBuilder(new AdminClientConfig(new Dictionary<string, string> { ["test.mock.num.brokers"] = "1" })).SetLogHandler((_, _) => { }).Build();
        var broker = owner.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Single();
        BootstrapServers = $"{broker.Host}:{broker.Port}";
    }

    /// <summary>host:port of the broker.</summary>
    public string BootstrapServers { get; }

    /// <summary>A plain producer, as any other application would use.</summary>
    public IProducer<string, string> Producer() =>
        new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = BootstrapServers }).SetLogHandler((_, _) => { }).Build();

    /// <summary>
    /// Every message of <paramref name="topic"/> (that <paramref name="where"/> accepts) from the
    /// beginning, read by a separate consumer: waits until at least <paramref name="expected"/> have
    /// come, then reads on a little longer so that a duplicate would show.
    /// </summary>
    public List<ConsumeResult<string, string>> ReadAll(string topic, int expected, Func<ConsumeResult<string, string>, bool>? where = null,
        TimeSpan? within = null, TimeSpan? linger = null)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = "test-reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        var clock = Stopwatch.StartNew();
        var deadline = within ?? TimeSpan.FromSeconds(30);
        var partitions = Partitions(topic, deadline);
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var read = new List<ConsumeResult<string, string>>();
        TimeSpan? until = expected == 0 ? linger ?? TimeSpan.FromSeconds(1) : null;
        while (clock.Elapsed < (until ?? deadline))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } message && !message.IsPartitionEOF && (where is null || where(message))) read.Add(message);
            if (until is null && read.Count >= expected) until = clock.Elapsed + (linger ?? TimeSpan.FromSeconds(1));
        }
        consumer.Close();
        return read;
    }

    /// <summary>The committed offsets of <paramref name="group"/> on every partition of <paramref name="topic"/> (-1001 where none).</summary>
    public IReadOnlyList<long> Committed(string group, string topic)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = group }).SetLogHandler((_, _) => { }).Build();
        var partitions = Partitions(topic, TimeSpan.FromSeconds(10));
        return [.. consumer.Committed(partitions.Select(p => new TopicPartition(topic, p)), TimeSpan.FromSeconds(10)).OrderBy(o => o.Partition.Value).Select(o => o.Offset.Value)];
    }

    /// <summary>The offset after the last message of every partition of <paramref name="topic"/> (by partition).</summary>
    public IReadOnlyList<long> EndOffsets(string topic)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = "ends" }).SetLogHandler((_, _) => { }).Build();
        return [.. Partitions(topic, TimeSpan.FromSeconds(10))
            .Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value)];
    }

    List<Partition> Partitions(string topic, TimeSpan within)
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

    public void Dispose() => owner.Dispose();
}

/// <summary>Reading Kafka headers in tests.</summary>
public static class KafkaHeaders
{
    public static string? Text(this Headers headers, string name) =>
        headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : null;
}
