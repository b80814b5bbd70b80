using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces.Reducers;
using OmniBridge.Orleans.Streams.Kafka;
using OmniBridge.Silo.Configuration;
using OmniBridge.Silo.Kafka;
using OmniBridge.Tests.Fixtures;
using Orleans.Configuration;

namespace OmniBridge.Tests.Silo.Kafka;

/// <summary>
/// The queue receiver as the pulling agent drives it, on a mock broker: what it reads, what it
/// commits (only what every consumer has processed), where it resumes, where it starts. The receiver
/// is the Kafka stream library's, configured as the silo configures it from its settings.
/// </summary>
public sealed class KafkaReceiverTests : IDisposable
{
    const string Topic = "receiver.omninode-bridge.metadata.metadata-stamp-created.v1";
    readonly KafkaMock kafka = new();
    readonly EventEnvelopes envelopes = new(Options.Create(new EventOptions { Environment = "receiver" }), TimeProvider.System);
    readonly List<KafkaQueueAdapterFactory> factories = [];

    public void Dispose()
    {
        foreach (var factory in factories) factory.Dispose();
        kafka.Dispose();
    }

    [Fact]
    public async Task Commits_only_what_every_consumer_processed_dead_letters_what_failed_and_resumes_from_the_commit()
    {
        var group = "g-" + Guid.NewGuid().ToString("N");
        await ProduceAsync(10);
        var receiver = await ReceiverAsync(group);
        await receiver.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        var read = await ReadAsync(receiver, 10);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), read.Select(c => c.Offset));
        Assert.All(read, c => Assert.Equal(StampStreams.StampCreated, c.StreamId.GetNamespace()));

        // Nothing processed yet: nothing committed.
        Assert.True(kafka.Committed(group, Topic)[0] < 0);

        await receiver.MessagesDeliveredAsync([.. read.Take(4)], CancellationToken.None);
        Assert.Equal(4, kafka.Committed(group, Topic)[0]);

        // 6 and 7 are done, 4 and 5 were left out: their delivery failed for good.
        await receiver.MessagesDeliveredAsync([read[6], read[7]], CancellationToken.None);
        Assert.Equal(8, kafka.Committed(group, Topic)[0]);
        var dead = kafka.ReadAll(EventTopics.DeadLetter(Topic), 2);
        Assert.Equal([4L, 5L], dead.Select(d => long.Parse(d.Message.Headers.Text("source_offset")!, System.Globalization.CultureInfo.InvariantCulture)).Order());
        Assert.All(dead, d => Assert.Contains("not processed", d.Message.Headers.Text(DeadLetterHeaders.Error), StringComparison.Ordinal));

        // 8 and 9 are still in flight at shutdown: the next owner reads them again.
        await receiver.Shutdown(TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal(8, kafka.Committed(group, Topic)[0]);
        var next = await ReceiverAsync(group);
        await next.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal([8L, 9L], (await ReadAsync(next, 2)).Select(c => c.Offset));
        await next.Shutdown(TimeSpan.FromSeconds(5), CancellationToken.None);
    }

    [Fact]
    public async Task A_group_with_no_commit_starts_where_KAFKA_START_POSITION_says()
    {
        await ProduceAsync(3);
        var earliest = await ReceiverAsync("e-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(3, (await ReadAsync(earliest, 3)).Count);
        await earliest.Shutdown(TimeSpan.FromSeconds(5), CancellationToken.None);

        var latest = await ReceiverAsync("l-" + Guid.NewGuid().ToString("N"), KafkaStartPosition.Latest);
        await latest.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        // Its first read finds where to start: the end of the partition, before anything new arrives.
        Assert.Empty(await latest.GetQueueMessagesAsync(100, CancellationToken.None));
        Assert.Equal(3, latest.StartedAt);
        await ProduceAsync(1, from: 3);
        Assert.Equal([3L], (await ReadAsync(latest, 1)).Select(c => c.Offset));
        await latest.Shutdown(TimeSpan.FromSeconds(5), CancellationToken.None);
    }

    async Task<KafkaQueueAdapterReceiver> ReceiverAsync(string group, KafkaStartPosition start = KafkaStartPosition.Earliest)
    {
        var clients = new KafkaClients(new KafkaSettings { BootstrapServers = kafka.BootstrapServers, ConsumerGroup = group, StartPosition = start });
        var options = new KafkaStreamOptions();
        KafkaComposition.ReadStampCreated(options, clients, new StampCreatedCodec(Options.Create(new EventOptions { Environment = "receiver" })));
        var factory = new KafkaQueueAdapterFactory(StampStreams.Provider, options, new SimpleQueueCacheOptions(), NullLoggerFactory.Instance);
        factories.Add(factory);
        var adapter = (KafkaQueueAdapter)await factory.CreateAdapter(CancellationToken.None);
        return adapter.CreateReceiver(new TopicPartition(Topic, 0));
    }

    async Task ProduceAsync(int count, int from = 0)
    {
        using var producer = kafka.Producer();
        for (var i = from; i < from + count; i++)
        {
            var e = envelopes.StampCreated(Samples.RecordFor($"receiver {i}"), null);
            await producer.ProduceAsync(new TopicPartition(Topic, 0), new Message<string, string> { Key = e.PartitionKey, Value = e.Envelope });
        }
    }

    static async Task<List<KafkaBatchContainer>> ReadAsync(KafkaQueueAdapterReceiver receiver, int count)
    {
        var read = new List<KafkaBatchContainer>();
        var deadline = Stopwatch.StartNew();
        while (read.Count < count && deadline.Elapsed < TimeSpan.FromSeconds(30)) read.AddRange((await receiver.GetQueueMessagesAsync(100, CancellationToken.None)).Cast<KafkaBatchContainer>());
        return read;
    }
}
