using OmniBridge.Orleans.Streams.Kafka.Tests.Fixtures;
using Orleans.Streams;

namespace OmniBridge.Orleans.Streams.Kafka.Tests;

/// <summary>
/// The write direction: with <see cref="StreamProviderDirection.ReadWrite"/>, a grain's
/// <c>OnNextAsync</c> produces to the topic through its encoder, and the provider reads the event
/// back to the stream's subscribers like any other message. Read-only (the default) refuses.
/// </summary>
public sealed class WriteTests : IDisposable
{
    const string Topic = "chat.lines";
    readonly MockKafka kafka = new();
    readonly Deliveries deliveries = new();
    readonly string group = "g-" + Guid.NewGuid().ToString("N");

    public void Dispose() => kafka.Dispose();

    [Fact]
    public async Task OnNextAsync_produces_to_the_topic_and_the_events_reach_the_subscriber_in_order()
    {
        await using var silos = await KafkaSilos.StartAsync(kafka, deliveries, group, o =>
        {
            o.Direction = StreamProviderDirection.ReadWrite;
            o.AddTopic(Topic, MockKafka.Partitions, new LineCodec()).StreamNamespaces.Add(TestStreams.Lines);
        });
        var lines = Enumerable.Range(0, 10).Select(n => $"said {n}").ToList();

        await silos.Client.GetGrain<ILineWriterGrain>("writer").WriteAsync("room-1", lines);

        // On the topic as any Kafka consumer sees it: one message per event, keyed by the stream, on one partition.
        var written = kafka.ReadAll(Topic, lines.Count);
        Assert.Equal(lines.Select(l => "room-1|" + l), written.Select(m => m.Message.Value));
        Assert.All(written, m => Assert.Equal("room-1", m.Message.Key));
        // The partition comes from the stream id alone (FNV-1a of "linesroom-1"), the same on every producer.
        Assert.Equal([1], written.Select(m => m.Partition.Value).Distinct());

        await Eventually.TrueAsync(() => deliveries.Texts(TestStreams.Lines, "room-1").Count >= lines.Count, "the subscriber received the ten lines");
        Assert.Equal(lines, deliveries.Texts(TestStreams.Lines, "room-1"));
    }

    [Fact]
    public async Task A_client_with_the_provider_produces_through_it_like_a_grain()
    {
        await using var silos = await KafkaSilos.StartAsync(kafka, deliveries, group, o =>
        {
            o.Direction = StreamProviderDirection.ReadWrite;
            o.AddTopic(Topic, MockKafka.Partitions, new LineCodec()).StreamNamespaces.Add(TestStreams.Lines);
        }, clientToo: true);

        var stream = silos.Client.GetStreamProvider(TestStreams.Provider).GetStream<TextLine>(StreamId.Create(TestStreams.Lines, "room-2"));
        await stream.OnNextAsync(new TextLine { Text = "from a client" });

        Assert.Equal(["room-2|from a client"], kafka.ReadAll(Topic, 1).Select(m => m.Message.Value));
        await Eventually.TrueAsync(() => deliveries.Texts(TestStreams.Lines, "room-2").Count > 0, "the subscriber received the client's line");
        Assert.Equal(["from a client"], deliveries.Texts(TestStreams.Lines, "room-2"));
    }

    [Fact]
    public async Task A_read_only_provider_refuses_to_produce_and_writes_nothing()
    {
        await using var silos = await KafkaSilos.StartAsync(kafka, deliveries, group, o => o.AddTopic(Topic, MockKafka.Partitions, new LineCodec()));

        await kafka.ProduceAsync(Topic, 0, "room-0", "room-0|from elsewhere");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => silos.Client.GetGrain<ILineWriterGrain>("writer").WriteAsync("room-1", ["hello"]));

        Assert.Contains("ReadOnly", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["room-0|from elsewhere"], kafka.ReadAll(Topic, 1).Select(m => m.Message.Value));
    }
}
