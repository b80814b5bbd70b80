using System.Globalization;
using Confluent.Kafka;
using OmniBridge.Orleans.Streams.Kafka.Tests.Fixtures;

namespace OmniBridge.Orleans.Streams.Kafka.Tests;

/// <summary>Where a consumer group that never committed starts: the oldest message kept, or only what comes after the silo started.</summary>
public sealed class StartPositionTests : IDisposable
{
    const string Topic = "news.lines";
    readonly MockKafka kafka = new();
    readonly Deliveries deliveries = new();
    readonly string group = "g-" + Guid.NewGuid().ToString("N");

    public void Dispose() => kafka.Dispose();

    static string Key(int partition) => "p" + partition.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Earliest_delivers_what_the_topic_held_before_the_silo_started()
    {
        await ProduceAsync("old", 3);
        await using var silos = await KafkaSilos.StartAsync(kafka, deliveries, group, o =>
        {
            o.StartPosition = AutoOffsetReset.Earliest;
            o.AddTopic(Topic, MockKafka.Partitions, new LineCodec());
        });

        await Eventually.TrueAsync(() => deliveries.Count >= 12, "the twelve old lines arrived");
        for (var p = 0; p < MockKafka.Partitions; p++) Assert.Equal(["old 0", "old 1", "old 2"], deliveries.Texts(TestStreams.Lines, Key(p)));
    }

    [Fact]
    public async Task Latest_delivers_only_what_is_produced_after_the_partitions_receiver_opened()
    {
        await ProduceAsync("old", 3);
        await using var silos = await KafkaSilos.StartAsync(kafka, deliveries, group, o =>
        {
            o.StartPosition = AutoOffsetReset.Latest;
            o.AddTopic(Topic, MockKafka.Partitions, new LineCodec());
        });

        // When a receiver opens is the provider's business: send fresh lines until every partition has delivered one.
        var round = 0;
        await Eventually.TrueAsync(async () =>
        {
            await ProduceAsync($"new {round++}", 1);
            return Enumerable.Range(0, MockKafka.Partitions).All(p => deliveries.Texts(TestStreams.Lines, Key(p)).Count > 0);
        }, "every partition delivers lines produced after the silo started");

        Assert.DoesNotContain(deliveries.All, d => d.Text.StartsWith("old", StringComparison.Ordinal));
        Assert.All(deliveries.All, d => Assert.True(d.Offset >= 3, $"offset {d.Offset} was on the topic before the silo started"));
        // Once it has read, the group has a commit: a restart resumes there, wherever "latest" has moved to.
        await Eventually.TrueAsync(() => kafka.Committed(group, Topic).All(o => o > 3), "the group committed past the old lines");
    }

    async Task ProduceAsync(string prefix, int perPartition)
    {
        for (var n = 0; n < perPartition; n++)
        {
            for (var p = 0; p < MockKafka.Partitions; p++)
            {
                var text = perPartition == 1 ? prefix : $"{prefix} {n}";
                await kafka.ProduceAsync(Topic, p, Key(p), $"{Key(p)}|{text}");
            }
        }
    }
}
