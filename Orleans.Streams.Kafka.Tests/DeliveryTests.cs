using OmniBridge.Orleans.Streams.Kafka.Tests.Fixtures;

namespace OmniBridge.Orleans.Streams.Kafka.Tests;

/// <summary>
/// What an application reading topics through the provider sees: messages become events on their
/// streams, each topic through its codec; offsets are committed once consumers processed them; a
/// message nobody can read or process goes to the dead-letter topic and the partition moves on.
/// Each test has its own broker and cluster.
/// </summary>
public sealed class DeliveryTests : IDisposable
{
    const string Topic = "shop.lines";
    readonly MockKafka kafka = new();
    readonly Deliveries deliveries = new();
    readonly string group = "g-" + Guid.NewGuid().ToString("N");

    public void Dispose() => kafka.Dispose();

    [Fact]
    public async Task Events_produced_to_a_topic_reach_the_implicit_subscriber_of_their_stream_in_order_and_are_committed_once_processed()
    {
        // Two silos share the partitions; a queue moving between them may deliver some events again (at least once).
        await using var silos = await KafkaSilos.StartAsync(kafka, deliveries, group, o => o.AddTopic(Topic, MockKafka.Partitions, new LineCodec()), silos: 2);
        var keys = Enumerable.Range(0, 6).Select(i => $"stream-{i}").ToList();
        for (var n = 0; n < 10; n++)
        {
            for (var k = 0; k < keys.Count; k++) await kafka.ProduceAsync(Topic, k % MockKafka.Partitions, keys[k], $"{keys[k]}|line {n}");
        }

        var expected = Enumerable.Range(0, 10).Select(n => $"line {n}").ToList();
        await Eventually.TrueAsync(() => keys.All(k => deliveries.Texts(TestStreams.Lines, k).Distinct().Count() == 10), "every stream received its ten lines");
        Assert.All(keys, k => Assert.Equal(expected, deliveries.Texts(TestStreams.Lines, k).Distinct()));
        Assert.All(deliveries.All, d => Assert.NotNull(d.Offset));

        // What every consumer processed is committed: a restart would not read it again.
        await Eventually.TrueAsync(() => kafka.Committed(group, Topic).SequenceEqual(kafka.EndOffsets(Topic)), "the group's offsets reach the end of every partition");
    }

    [Fact]
    public async Task Two_topics_with_two_codecs_feed_their_own_stream_namespaces()
    {
        const string orders = "shop.orders";
        await using var silos = await KafkaSilos.StartAsync(kafka, deliveries, group, o =>
        {
            o.AddTopic(Topic, MockKafka.Partitions, new LineCodec());
            o.AddTopic(orders, MockKafka.Partitions, new OrderCodec());
        });

        await kafka.ProduceAsync(Topic, 0, "ann", "ann|hello");
        await kafka.ProduceAsync(orders, 1, "ann", OrderCodec.Json("ann", "o-1", 12.5m));
        await kafka.ProduceAsync(orders, 1, "ann", OrderCodec.Json("ann", "o-2", 3m));
        await kafka.ProduceAsync(orders, 3, "bob", OrderCodec.Json("bob", "o-3", 7m));

        await Eventually.TrueAsync(() => deliveries.Count >= 4, "four events arrived");
        Assert.Equal(["hello"], deliveries.Texts(TestStreams.Lines, "ann"));
        Assert.Equal(["o-1:12.5", "o-2:3"], deliveries.Texts(TestStreams.Orders, "ann"));
        Assert.Equal(["o-3:7"], deliveries.Texts(TestStreams.Orders, "bob"));
        Assert.Equal(1, await silos.Client.GetGrain<ILineReaderGrain>("ann").CountAsync());
        Assert.Equal(2, await silos.Client.GetGrain<IOrderReaderGrain>("ann").CountAsync());
    }

    [Fact]
    public async Task A_poison_message_goes_unchanged_to_the_dead_letter_topic_with_its_source_and_the_partition_moves_on()
    {
        await using var silos = await KafkaSilos.StartAsync(kafka, deliveries, group, o => o.AddTopic(Topic, MockKafka.Partitions, new LineCodec()));

        await kafka.ProduceAsync(Topic, 2, "k", "k|before");
        var poison = await kafka.ProduceAsync(Topic, 2, "k", "no bar in this one", KafkaHeaders.Of(("trace", "t-1")));
        await kafka.ProduceAsync(Topic, 2, "k", "k|after");

        await Eventually.TrueAsync(() => deliveries.Texts(TestStreams.Lines, "k").Contains("after"), "the message after the poison is delivered");
        Assert.Equal(["before", "after"], deliveries.Texts(TestStreams.Lines, "k"));

        var dead = Assert.Single(kafka.ReadAll(Topic + ".dlq", 1));
        Assert.Equal("no bar in this one", dead.Message.Value);
        Assert.Equal("k", dead.Message.Key);
        Assert.Equal("t-1", dead.Message.Headers.Text("trace"));
        Assert.Contains("no 'key|'", dead.Message.Headers.Text(DeadLetterHeaders.Error), StringComparison.Ordinal);
        Assert.Equal(Topic, dead.Message.Headers.Text(DeadLetterHeaders.SourceTopic));
        Assert.Equal("2", dead.Message.Headers.Text(DeadLetterHeaders.SourcePartition));
        Assert.Equal(poison.ToString(System.Globalization.CultureInfo.InvariantCulture), dead.Message.Headers.Text(DeadLetterHeaders.SourceOffset));
        await Eventually.TrueAsync(() => kafka.Committed(group, Topic)[2] == 3, "the commit passes the poison");
    }

    [Fact]
    public async Task An_event_no_consumer_manages_to_process_goes_to_the_dead_letter_topic_after_the_delivery_time()
    {
        const string deadLetters = "shop.parked";
        await using var silos = await KafkaSilos.StartAsync(kafka, deliveries, group,
            o => o.AddTopic(Topic, MockKafka.Partitions, new LineCodec()).DeadLetterTopic = deadLetters,
            streams: KafkaSilos.DeliveryTime(TimeSpan.FromSeconds(2)));

        await kafka.ProduceAsync(Topic, 0, "k", "k|first");
        await kafka.ProduceAsync(Topic, 0, "k", "k|refuse this");
        await kafka.ProduceAsync(Topic, 0, "k", "k|last");

        await Eventually.TrueAsync(() => deliveries.Texts(TestStreams.Lines, "k").Contains("last"), "the event after the refused one is delivered", TimeSpan.FromSeconds(60));
        Assert.Equal(["first", "last"], deliveries.Texts(TestStreams.Lines, "k"));
        var dead = Assert.Single(kafka.ReadAll(deadLetters, 1));
        Assert.Equal("k|refuse this", dead.Message.Value);
        Assert.Contains("not processed", dead.Message.Headers.Text(DeadLetterHeaders.Error), StringComparison.Ordinal);
        Assert.Equal("1", dead.Message.Headers.Text(DeadLetterHeaders.SourceOffset));
        await Eventually.TrueAsync(() => kafka.Committed(group, Topic)[0] == 3, "the commit passes the parked event");
    }
}
