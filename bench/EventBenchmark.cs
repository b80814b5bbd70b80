using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Stamping;
using OmniBridge.Silo.Kafka;

namespace OmniBridge.Bench;

/// <summary>
/// Events per second from stamp to topic: N stamps through the stamp worker (batches of 100 from 8
/// callers) on PostgreSQL with Kafka configured, timed until a separate consumer has read all N
/// stamp-created envelopes off the topic (through the outbox and its relay); against producing the
/// same N envelopes straight to a topic with Confluent.Kafka (idempotent, acks=all), read back the
/// same way. Both on librdkafka's mock broker in this process.
/// </summary>
public static class EventBenchmark
{
    public static async Task<List<string>> RunAsync(IDictionary<string, string?> postgres, int stamps)
    {
        using var broker = new AdminClientBuilder(new AdminClientConfig(new Dictionary<string, string> { ["test.mock.num.brokers"] = "1" })).SetLogHandler((_, _) => { }).Build();
        var address = broker.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Single();
        var bootstrap = $"{address.Host}:{address.Port}";

        var texts = Enumerable.Range(0, stamps).Select(i => $"event bench {i} " + new string('e', 200)).ToList();
        var raw = await RawProductionAsync(bootstrap, texts);
        double withoutKafka;
        await using (var plain = await InProcessSilo.StartAsync(postgres))
        {
            withoutKafka = await StampAllAsync(plain.Grains.GetGrain<IStampWorkerGrain>(0), texts, "bench.plain");
        }

        var settings = new Dictionary<string, string?>(postgres) { ["KAFKA_BOOTSTRAP_SERVERS"] = bootstrap, ["ENVIRONMENT"] = "bench" };
        await using var silo = await InProcessSilo.StartAsync(settings);
        var topic = new EventTopics("bench").StampCreated;
        // Start-up is not what is measured: the relay starts once the topics are settled (on the
        // mock broker, which cannot create topics, after the creation attempt times out).
        await silo.Services.GetRequiredService<TopicProvisioner>().Settled;
        var reading = Task.Run(() => ReadAll(bootstrap, topic, stamps));
        var started = Stopwatch.GetTimestamp();
        var accepted = await StampAllAsync(silo.Grains.GetGrain<IStampWorkerGrain>(0), texts, "bench.events");
        var read = await reading;
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (read != stamps) throw new InvalidOperationException($"read {read} of {stamps} stamp-created events");
        return
        [
            string.Create(CultureInfo.InvariantCulture, $"| stamp to topic: worker batches, outbox, relay, consumer (stamps accepted in {accepted:F2} s) | {stamps} | {seconds:F2} | {stamps / seconds:F0} |"),
            string.Create(CultureInfo.InvariantCulture, $"| baseline: raw Confluent.Kafka production of the same envelopes, same consumer | {stamps} | {raw:F2} | {stamps / raw:F0} |"),
            string.Create(CultureInfo.InvariantCulture, $"| for reference: the same stamps accepted with no Kafka (no outbox rows) | {stamps} | {withoutKafka:F2} | {stamps / withoutKafka:F0} |"),
            string.Create(CultureInfo.InvariantCulture, $"ratio service / raw: {raw / seconds:F3}"),
        ];
    }

    /// <summary>Seconds to stamp every text through the worker, in batches of 100 from 8 callers.</summary>
    static async Task<double> StampAllAsync(IStampWorkerGrain worker, List<string> texts, string ns)
    {
        var batches = texts.Chunk(100).ToList();
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < batches.Count; i = Interlocked.Increment(ref next))
            {
                await worker.StampBatchAsync(new BatchStampCommand
                {
                    BatchId = Guid.NewGuid(),
                    Items = [.. batches[i].Select(t => new StampCommand { Namespace = ns, Text = t })],
                    Namespace = ns,
                });
            }
        })));
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>Seconds to produce the envelopes and read them all back.</summary>
    static async Task<double> RawProductionAsync(string bootstrap, List<string> texts)
    {
        var envelopes = new EventEnvelopes(Options.Create(new EventOptions { Environment = "raw" }), TimeProvider.System);
        var now = DateTime.UtcNow;
        var events = texts.ConvertAll(t => envelopes.StampCreated(new StampRecord
        {
            StampId = Guid.CreateVersion7(), FileHash = Grains.Stamping.CanonicalContent.HashOf(t), Namespace = "bench.events", FileSize = t.Length,
            ContentType = "text/plain", StampType = StampType.Lightweight, Stamp = "-", OpId = Guid.NewGuid(), MetadataVersion = "0.1", ProtocolVersion = "1.0", CreatedAt = now,
        }, null));
        var topic = new EventTopics("raw").StampCreated;
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap, EnableIdempotence = true, Acks = Acks.All, LingerMs = 5, CompressionType = CompressionType.Lz4,
        }).SetLogHandler((_, _) => { }).Build();
        var reading = Task.Run(() => ReadAll(bootstrap, topic, events.Count));
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(events.Select(e => producer.ProduceAsync(topic, new Message<byte[], byte[]>
        {
            Key = System.Text.Encoding.UTF8.GetBytes(e.PartitionKey), Value = System.Text.Encoding.UTF8.GetBytes(e.Envelope),
        })));
        var read = await reading;
        if (read != events.Count) throw new InvalidOperationException($"read {read} of {events.Count} raw events");
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>Reads <paramref name="count"/> messages from every partition of the topic (waiting for it to exist).</summary>
    static int ReadAll(string bootstrap, string topic, int count)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = "bench-" + Guid.NewGuid().ToString("N"), EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest, TopicMetadataRefreshIntervalMs = 500,
        }).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
        consumer.Assign(Enumerable.Range(0, 4).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var read = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (read < count && DateTime.UtcNow < deadline)
        {
            try
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false }) read++;
            }
            catch (ConsumeException)
            {
                // The topic is not there yet.
            }
        }
        return read;
    }
}
