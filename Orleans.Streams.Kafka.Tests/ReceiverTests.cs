using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using OmniBridge.Orleans.Streams.Kafka.Tests.Fixtures;
using Orleans.Configuration;
using Orleans.Streams;

namespace OmniBridge.Orleans.Streams.Kafka.Tests;

/// <summary>
/// One partition's receiver as the pulling agent drives it, on a mock broker: what it reads, what it
/// commits (only what every consumer has processed), what it sets aside, where it resumes, and that
/// a read error makes it try again rather than stall.
/// </summary>
public sealed class ReceiverTests : IDisposable
{
    const string Topic = "receiver.lines";
    readonly MockKafka kafka = new();
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
        Assert.All(read, c => Assert.Equal(TestStreams.Lines, c.StreamId.GetNamespace()));

        // Nothing processed yet: nothing committed.
        Assert.True(kafka.Committed(group, Topic)[0] < 0);

        await receiver.MessagesDeliveredAsync([.. read.Take(4)], CancellationToken.None);
        Assert.Equal(4, kafka.Committed(group, Topic)[0]);

        // 6 and 7 are done, 4 and 5 were left out: their delivery failed for good.
        await receiver.MessagesDeliveredAsync([read[6], read[7]], CancellationToken.None);
        Assert.Equal(8, kafka.Committed(group, Topic)[0]);
        var dead = kafka.ReadAll(Topic + ".dlq", 2);
        Assert.Equal([4L, 5L], dead.Select(d => long.Parse(d.Message.Headers.Text(DeadLetterHeaders.SourceOffset)!, CultureInfo.InvariantCulture)).Order());
        Assert.All(dead, d => Assert.Contains("not processed", d.Message.Headers.Text(DeadLetterHeaders.Error), StringComparison.Ordinal));

        // 8 and 9 are still in flight at shutdown: the next owner reads them again.
        await receiver.Shutdown(TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal(8, kafka.Committed(group, Topic)[0]);
        var next = await ReceiverAsync(group);
        await next.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal([8L, 9L], (await ReadAsync(next, 2)).Select(c => c.Offset));
        Assert.Equal(8, next.StartedAt);
        await next.Shutdown(TimeSpan.FromSeconds(5), CancellationToken.None);
    }

    [Fact]
    public async Task Latest_starts_at_the_end_of_the_partition_when_the_receiver_opens()
    {
        await ProduceAsync(3);
        var latest = await ReceiverAsync("l-" + Guid.NewGuid().ToString("N"), AutoOffsetReset.Latest);
        await latest.Initialize(TimeSpan.FromSeconds(5), CancellationToken.None);

        // Its first read finds where to start: the end of the partition, before anything new arrives.
        Assert.Empty(await latest.GetQueueMessagesAsync(100, CancellationToken.None));
        Assert.Equal(3, latest.StartedAt);
        await ProduceAsync(1, from: 3);
        Assert.Equal([3L], (await ReadAsync(latest, 1)).Select(c => c.Offset));
        await latest.Shutdown(TimeSpan.FromSeconds(5), CancellationToken.None);
    }

    [Fact]
    public async Task A_message_the_codec_cannot_read_is_set_aside_whatever_the_codec_throws()
    {
        var group = "g-" + Guid.NewGuid().ToString("N");
        await kafka.ProduceAsync(Topic, 0, "k", "k|fine");
        await kafka.ProduceAsync(Topic, 0, "k", "k|explode");
        await kafka.ProduceAsync(Topic, 0, "k", "k|fine again");
        var receiver = await ReceiverAsync(group, codec: new ExplodingCodec());

        var read = await ReadAsync(receiver, 2);
        Assert.Equal([0L, 2L], read.Select(c => c.Offset));
        var dead = Assert.Single(kafka.ReadAll(Topic + ".dlq", 1));
        Assert.Equal("k|explode", dead.Message.Value);
        Assert.Equal("the codec broke", dead.Message.Headers.Text(DeadLetterHeaders.Error));

        // Both read messages processed: the commit passes the one set aside.
        await receiver.MessagesDeliveredAsync([.. read], CancellationToken.None);
        Assert.Equal(3, kafka.Committed(group, Topic)[0]);
        await receiver.Shutdown(TimeSpan.FromSeconds(5), CancellationToken.None);
    }

    [Fact]
    public async Task A_receiver_whose_topic_is_not_there_yet_keeps_trying_without_throwing_and_reads_once_it_is()
    {
        const string late = "late.lines";
        var receiver = await ReceiverAsync("g-" + Guid.NewGuid().ToString("N"), topic: late);

        for (var i = 0; i < 3; i++) Assert.Empty(await receiver.GetQueueMessagesAsync(100, CancellationToken.None));
        await kafka.ProduceAsync(late, 0, "k", "k|finally");

        Assert.Equal(["finally"], (await ReadAsync(receiver, 1)).SelectMany(c => c.GetEvents<TextLine>()).Select(e => e.Item1.Text));
        await receiver.Shutdown(TimeSpan.FromSeconds(5), CancellationToken.None);
    }

    [Fact]
    public async Task A_receiver_waits_on_the_broker_on_a_thread_of_its_own_never_the_thread_pool_and_ends_it_at_shutdown()
    {
        var group = "g-" + Guid.NewGuid().ToString("N");
        await ProduceAsync(2);
        var receiver = await ReceiverAsync(group);
        Assert.Null(receiver.ReaderThreadOf);   // none until the first read

        var read = await ReadAsync(receiver, 2);
        var thread = receiver.ReaderThreadOf;
        Assert.NotNull(thread);
        Assert.False(thread.IsThreadPoolThread);
        Assert.True(thread.IsAlive);

        // An idle read (it polls the broker) and a commit run on the same thread.
        Assert.Empty(await receiver.GetQueueMessagesAsync(100, CancellationToken.None));
        await receiver.MessagesDeliveredAsync([.. read], CancellationToken.None);
        Assert.Equal(2, kafka.Committed(group, Topic)[0]);
        Assert.Same(thread, receiver.ReaderThreadOf);

        // A silo hands partitions to another as the cluster changes: a receiver shut down leaves no thread behind.
        await receiver.Shutdown(TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Null(receiver.ReaderThreadOf);
        Assert.True(thread.Join(TimeSpan.FromSeconds(10)), "the receiver's thread ended");
    }

    async Task<KafkaQueueAdapterReceiver> ReceiverAsync(string group, AutoOffsetReset start = AutoOffsetReset.Earliest, IKafkaEventCodec? codec = null, string topic = Topic)
    {
        var options = new KafkaStreamOptions { BootstrapServers = kafka.BootstrapServers, ConsumerGroup = group, StartPosition = start };
        options.AddTopic(topic, MockKafka.Partitions, codec ?? new LineCodec());
        var factory = new KafkaQueueAdapterFactory(TestStreams.Provider, options, new SimpleQueueCacheOptions(), NullLoggerFactory.Instance);
        factories.Add(factory);
        var adapter = (KafkaQueueAdapter)await factory.CreateAdapter(CancellationToken.None);
        return adapter.CreateReceiver(new TopicPartition(topic, 0));
    }

    async Task ProduceAsync(int count, int from = 0)
    {
        for (var i = from; i < from + count; i++) await kafka.ProduceAsync(Topic, 0, "k", $"k|line {i}");
    }

    static async Task<List<KafkaBatchContainer>> ReadAsync(IQueueAdapterReceiver receiver, int count)
    {
        var read = new List<KafkaBatchContainer>();
        var clock = Stopwatch.StartNew();
        while (read.Count < count && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var batch = await receiver.GetQueueMessagesAsync(100, CancellationToken.None);
            read.AddRange(batch.Cast<KafkaBatchContainer>());
            if (batch.Count == 0) await Task.Delay(50);
        }
        return read;
    }

    /// <summary>A codec with a bug: it throws something other than a <see cref="FormatException"/>.</summary>
    sealed class ExplodingCodec : IKafkaEventCodec
    {
        readonly LineCodec lines = new();

        public (StreamId Stream, List<object> Events) Decode(Message<byte[], byte[]> message)
        {
            var decoded = lines.Decode(message);
            if (decoded.Events.OfType<TextLine>().Any(e => e.Text == "explode")) throw new InvalidOperationException("the codec broke");
            return decoded;
        }
    }
}
