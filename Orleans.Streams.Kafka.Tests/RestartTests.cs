using System.Globalization;
using OmniBridge.Orleans.Streams.Kafka.Tests.Fixtures;

namespace OmniBridge.Orleans.Streams.Kafka.Tests;

/// <summary>
/// A silo that stops and another that starts in its place (same group): reading resumes from the
/// committed offsets, so nothing processed is read again and nothing unprocessed is lost. Each
/// stream here has a partition of its own, so a stream's deliveries follow its partition's offsets.
/// </summary>
public sealed class RestartTests : IDisposable
{
    const string Topic = "ledger.lines";
    readonly MockKafka kafka = new();
    readonly string group = "g-" + Guid.NewGuid().ToString("N");

    public void Dispose() => kafka.Dispose();

    static void Lines(KafkaStreamOptions options) => options.AddTopic(Topic, MockKafka.Partitions, new LineCodec());

    static string Key(int partition) => "p" + partition.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_restarted_silo_resumes_from_the_committed_offsets_and_reads_nothing_processed_again()
    {
        var first = new Deliveries();
        await using (var silos = await KafkaSilos.StartAsync(kafka, first, group, Lines))
        {
            await ProduceAsync("before", 5);
            await Eventually.TrueAsync(() => first.Count == 20, "the first silo received the twenty lines");
            await Eventually.TrueAsync(() => kafka.Committed(group, Topic).All(o => o == 5), "the first silo committed them");
        }
        Assert.Equal([5L, 5L, 5L, 5L], kafka.Committed(group, Topic));

        var second = new Deliveries();
        await using var again = await KafkaSilos.StartAsync(kafka, second, group, Lines);
        await ProduceAsync("after", 3);

        // A stream's lines arrive in its partition's order: had an old one been read again, it would have come first.
        await Eventually.TrueAsync(() => second.Count >= 12, "the restarted silo received the new lines");
        for (var p = 0; p < MockKafka.Partitions; p++) Assert.Equal(["after 0", "after 1", "after 2"], second.Texts(TestStreams.Lines, Key(p)));
        Assert.Equal(12, second.Count);
        Assert.All(second.All, d => Assert.True(d.Offset >= 5, $"offset {d.Offset} was processed before the restart"));
    }

    [Fact]
    public async Task A_silo_stopped_mid_stream_loses_nothing_and_its_successor_reads_again_only_what_was_not_committed()
    {
        var first = new Deliveries();
        var silos = await KafkaSilos.StartAsync(kafka, first, group, Lines);
        await ProduceAsync("line", 500);
        await Eventually.TrueAsync(() => first.Count > 0, "the first silo has begun");
        await silos.DisposeAsync();
        var committed = kafka.Committed(group, Topic);

        var second = new Deliveries();
        await using var again = await KafkaSilos.StartAsync(kafka, second, group, Lines);
        var missing = committed.Sum(c => 500 - Math.Max(c, 0));
        await Eventually.TrueAsync(() => second.Count >= missing, $"the successor received the {missing} lines not committed");

        for (var p = 0; p < MockKafka.Partitions; p++)
        {
            var start = Math.Max(committed[p], 0);
            // Everything from the committed offset on, once and in order; nothing below it.
            Assert.Equal(Enumerable.Range((int)start, 500 - (int)start).Select(n => $"line {n}"), second.Texts(TestStreams.Lines, Key(p)));
            // Together the two silos delivered every line (at least once).
            Assert.Equal(500, first.Texts(TestStreams.Lines, Key(p)).Concat(second.Texts(TestStreams.Lines, Key(p))).Distinct().Count());
        }
    }

    Task ProduceAsync(string prefix, int perPartition) =>
        kafka.ProduceAllAsync(Topic, Enumerable.Range(0, perPartition)
            .SelectMany(n => Enumerable.Range(0, MockKafka.Partitions).Select(p => (p, (string?)Key(p), $"{Key(p)}|{prefix} {n}"))));
}
