using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using OmniBridge.Orleans.Streams.Kafka.Tests.Fixtures;
using Orleans.Configuration;
using Orleans.Streams;

namespace OmniBridge.Orleans.Streams.Kafka.Tests;

/// <summary>Setting a provider up: options that cannot work are refused at start, the queues are the same everywhere, and no broker is needed to start.</summary>
public sealed class ProviderTests : IDisposable
{
    readonly MockKafka kafka = new();

    public void Dispose() => kafka.Dispose();

    static KafkaStreamOptions Valid()
    {
        var options = new KafkaStreamOptions { BootstrapServers = "127.0.0.1:9092", ConsumerGroup = "readers" };
        options.AddTopic("orders", 4, new OrderCodec());
        return options;
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "no brokers", "BootstrapServers" },
        { "no group", "ConsumerGroup" },
        { "no topics", "Topics is empty" },
        { "a topic twice", "listed twice" },
        { "no partitions", "Partitions" },
        { "a bad topic name", "not a Kafka topic name" },
        { "dead letters to the topic itself", "DeadLetterTopic" },
        { "start position Error", "StartPosition" },
        { "read-write with nothing to write", "no topic lists StreamNamespaces" },
        { "a namespace written to two topics", "written to both" },
        { "a namespace without an encoder", "no Encoder" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Options_that_cannot_work_are_refused_naming_what_is_wrong(string change, string named)
    {
        var options = Valid();
        switch (change)
        {
            case "no brokers": options.BootstrapServers = " "; break;
            case "no group": options.ConsumerGroup = ""; break;
            case "no topics": options.Topics.Clear(); break;
            case "a topic twice": options.AddTopic("orders", 4, new OrderCodec()); break;
            case "no partitions": options.AddTopic("more", 0, new OrderCodec()); break;
            case "a bad topic name": options.AddTopic("orders/eu", 4, new OrderCodec()); break;
            case "dead letters to the topic itself": options.Topics[0].DeadLetterTopic = "orders"; break;
            case "start position Error": options.StartPosition = AutoOffsetReset.Error; break;
            case "read-write with nothing to write": options.Direction = StreamProviderDirection.ReadWrite; break;
            case "a namespace written to two topics":
                options.AddTopic("lines", 4, new LineCodec()).StreamNamespaces.Add("shared");
                options.AddTopic("lines2", 4, new LineCodec()).StreamNamespaces.Add("shared");
                break;
            case "a namespace without an encoder": options.Topics[0].StreamNamespaces.Add(TestStreams.Orders); break;
        }

        var refused = Assert.Throws<OrleansConfigurationException>(() => new KafkaStreamOptionsValidator(options, "shop").ValidateConfiguration());
        Assert.Contains("Kafka stream provider shop", refused.Message, StringComparison.Ordinal);
        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_options_pass_and_a_codec_that_also_encodes_is_the_topics_encoder()
    {
        var options = Valid();
        options.Direction = StreamProviderDirection.ReadWrite;
        var lines = options.AddTopic("lines", 2, new LineCodec());
        lines.StreamNamespaces.Add(TestStreams.Lines);

        new KafkaStreamOptionsValidator(options, "shop").ValidateConfiguration();
        Assert.Same(lines.Codec, lines.Encoder);
        Assert.Null(options.Topics[0].Encoder);
        Assert.Equal("lines.dlq", lines.DeadLetterTopic);
    }

    [Theory]
    [InlineData("room-1", 9)]
    [InlineData("room-2", 0)]
    [InlineData("ann", 11)]
    [InlineData("bob", 3)]
    public void A_stream_is_always_written_to_the_same_partition(string key, int partition)
    {
        // Fixed values: a producer of another version must pick the partition this one picks, or a stream's order breaks.
        Assert.Equal(partition, KafkaQueueAdapter.PartitionOf(StreamId.Create(TestStreams.Lines, key), 12));
    }

    [Fact]
    public async Task A_silo_whose_provider_cannot_work_does_not_start()
    {
        var refused = await Assert.ThrowsAsync<OrleansConfigurationException>(() => KafkaSilos.StartAsync(kafka, new Deliveries(), "g", _ => { }));
        Assert.Contains("Topics is empty", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_starts_and_serves_grains_with_no_broker_reachable()
    {
        // Port 9 (discard) has no listener: every connection is refused.
        await using var silos = await KafkaSilos.StartAsync(kafka, new Deliveries(), "g", o => o.AddTopic("lines", 4, new LineCodec()), bootstrapServers: "127.0.0.1:9");

        Assert.Equal(0, await silos.Client.GetGrain<ILineReaderGrain>("anyone").CountAsync());
    }

    [Fact]
    public async Task Every_silo_and_client_maps_the_same_queues_to_the_same_topic_partitions_without_asking_a_broker()
    {
        var one = Valid();
        one.AddTopic("lines", 2, new LineCodec());
        var other = new KafkaStreamOptions { BootstrapServers = "127.0.0.1:9", ConsumerGroup = "readers" };
        other.AddTopic("lines", 2, new LineCodec());
        other.AddTopic("orders", 4, new OrderCodec());

        var mapped = await Task.WhenAll(new[] { one, other }.Select(async options =>
        {
            using var factory = new KafkaQueueAdapterFactory("shop", options, new SimpleQueueCacheOptions(), NullLoggerFactory.Instance);
            var adapter = (KafkaQueueAdapter)await factory.CreateAdapter(CancellationToken.None);
            return factory.GetStreamQueueMapper().GetAllQueues()
                .Select(q => (Queue: q, ((KafkaQueueAdapterReceiver)adapter.CreateReceiver(q)).Partition)).ToList();
        }));

        Assert.Equal(mapped[0], mapped[1]);
        Assert.Equal(6, mapped[0].Count);
        Assert.Equal(6, mapped[0].Select(m => m.Partition).Distinct().Count());
        Assert.Equal(4, mapped[0].Count(m => m.Partition.Topic == "orders"));
    }
}
