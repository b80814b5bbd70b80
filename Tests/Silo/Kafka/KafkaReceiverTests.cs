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
/// The silo's settings as the Kafka stream library's receiver sees them, on a mock broker: the
/// stamp-created topic read into the stamp-created stream, commits in KAFKA_CONSUMER_GROUP, failed
/// events to the topic's dead-letter twin, and a new group starting where KAFKA_START_POSITION says.
/// How the receiver reads, commits and resumes is the library's and tested there
/// (Orleans.Streams.Kafka.Tests/ReceiverTests.cs).
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
    public async Task Stamp_created_events_reach_their_stream_commit_in_the_silos_group_and_failures_go_to_the_dead_letter_twin()
    {
        var group = "g-" + Guid.NewGuid().ToString("N");
        await ProduceAsync(3);
        var receiver = await ReceiverAsync(group);
        await receiver.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        var read = await ReadAsync(receiver, 3);
        Assert.Equal([0L, 1L, 2L], read.Select(c => c.Offset));
        Assert.All(read, c => Assert.Equal(StampStreams.StampCreated, c.StreamId.GetNamespace()));

        // The first and last are processed, the middle one failed for good.
        await receiver.MessagesDeliveredAsync([read[0], read[2]], CancellationToken.None);
        Assert.Equal(3, kafka.Committed(group, Topic)[0]);
        var dead = Assert.Single(kafka.ReadAll(EventTopics.DeadLetter(Topic), 1));
        Assert.Equal("1", dead.Message.Headers.Text(DeadLetterHeaders.SourceOffset));
        await receiver.Shutdown(TimeSpan.FromSeconds(5), CancellationToken.None);
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
        Assert.Empty(await latest.GetQueueMessagesAsync(100, CancellationToken.None));
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
