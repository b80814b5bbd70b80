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
/// Events from stamp to topic, on PostgreSQL with Kafka configured (librdkafka's mock broker in this
/// process), against raw production of the same envelopes with Confluent.Kafka (idempotent,
/// acks=all), read back by the same consumer:
/// <list type="bullet">
/// <item>stamping under load: N stamps through the stamp worker (batches of 100 from 8 callers) with
/// the relay publishing meanwhile, against the same stamps on a silo without Kafka: how much the
/// outbox and the relay cost the stamping, and how long after the load's end the last event is on
/// its topic;</item>
/// <item>the event path alone: N events stamped while no broker answered (so they wait in the
/// outbox), then a silo with a broker started, timed from its relay's start until a consumer has
/// read all N: the rate at which stamped records' events reach their topic.</item>
/// </list>
/// </summary>
public static class EventBenchmark
{
    public static async Task<List<string>> RunAsync(IDictionary<string, string?> postgres, int stamps)
    {
        using var broker = new AdminClientBuilder(new AdminClientConfig(new Dictionary<string, string> { ["test.mock.num.brokers"] = "1" })).SetLogHandler((_, _) => { }).Build();
        var address = broker.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Single();
        var bootstrap = $"{address.Host}:{address.Port}";

        // Contents of this run only, so that every stamp creates a record (and an event) on a database used before.
        var run = Guid.NewGuid().ToString("N");
        List<string> Texts(string phase, int? count = null) => [.. Enumerable.Range(0, count ?? stamps).Select(i => $"event bench {run} {phase} {i} " + new string('e', 200))];

        // Warm-up: every row runs on a process and a silo that already ran what it measures, until the
        // JIT is quiet. A fresh process compiles for seconds (the tiers' recompilation of the hot path
        // in the background, the dependency injection's compiled factories, which are each silo's own),
        // which a service running for days does not: with 5,000 stamps on a silo of their own first,
        // the JIT was still a quarter to half of the process's CPU in the measured rows (their JIT figure).
        // The event path's row is the exception: its silo must start on a backlog, so it is fresh, in a
        // process that has run the same code (its JIT figure says how much it still compiled).
        var cpu = new List<string>();
        var warmUps = new List<string>();
        warmUps.Add(await WarmAsync("raw production", round => RawProductionAsync(bootstrap, Texts($"raw-warm{round}", WarmRound), $"rawwarm{round}")));
        var rawMark = CpuMark.Now(postgres["POSTGRES_DB"]);
        var raw = await RawProductionAsync(bootstrap, Texts("raw"), "raw");
        cpu.Add(rawMark.Per("event", "raw production (the envelopes made, producer, mock broker, consumer)", stamps));
        double withoutKafka;
        await using (var plain = await InProcessSilo.StartAsync(postgres))
        {
            var worker = plain.Grains.GetGrain<IStampWorkerGrain>(0);
            warmUps.Add(await WarmAsync("stamping without Kafka", round => StampAllAsync(worker, Texts($"plain-warm{round}", WarmRound), "bench.warm")));
            var mark = CpuMark.Now(postgres["POSTGRES_DB"]);
            withoutKafka = await StampAllAsync(worker, Texts("plain"), "bench.plain");
            cpu.Add(mark.Per("event", "stamping without Kafka", stamps));
        }

        double accepted, lag;
        await using (var silo = await InProcessSilo.StartAsync(Kafka(postgres, bootstrap, "bench")))
        {
            // Start-up is not what is measured: the relay starts once the topics are settled (on the
            // mock broker, which cannot create topics, after the creation attempt times out). The
            // warm-up's events are on the topic before the clock starts.
            await silo.Services.GetRequiredService<TopicProvisioner>().Settled;
            var count = new TopicCount();
            var reading = Task.Run(() => ReadAll(bootstrap, new EventTopics("bench").StampCreated, count));
            var worker = silo.Grains.GetGrain<IStampWorkerGrain>(0);
            var warmed = 0;
            warmUps.Add(await WarmAsync("stamping with Kafka on", async round =>
            {
                await StampAllAsync(worker, Texts($"events-warm{round}", WarmRound), "bench.warm");
                warmed += WarmRound;
                while (Volatile.Read(ref count.Seen) < warmed && !reading.IsCompleted) await Task.Delay(20);
            }));
            var mark = CpuMark.Now(postgres["POSTGRES_DB"]);
            accepted = await StampAllAsync(worker, Texts("events"), "bench.events");
            cpu.Add(mark.Per("event", "stamping with Kafka on", stamps));
            var loadEnd = Stopwatch.GetTimestamp();
            Volatile.Write(ref count.Target, warmed + stamps);
            var read = await reading - warmed;
            lag = Stopwatch.GetElapsedTime(loadEnd).TotalSeconds;
            if (read != stamps) throw new InvalidOperationException($"read {read} of {stamps} stamp-created events");
        }

        // A backlog: stamped while the silo's broker address answers nobody, so every event waits in the outbox.
        await using (var away = await InProcessSilo.StartAsync(Kafka(postgres, "127.0.0.1:9", "drain")))
        {
            await StampAllAsync(away.Grains.GetGrain<IStampWorkerGrain>(0), Texts("drain"), "bench.drain");
        }
        double drained;
        await using (var silo = await InProcessSilo.StartAsync(Kafka(postgres, bootstrap, "drain")))
        {
            var reading = Task.Run(() => ReadAll(bootstrap, new EventTopics("drain").StampCreated, stamps));
            await silo.Services.GetRequiredService<TopicProvisioner>().Settled;
            var started = Stopwatch.GetTimestamp();
            var mark = CpuMark.Now(postgres["POSTGRES_DB"]);
            var read = await reading;
            drained = Stopwatch.GetElapsedTime(started).TotalSeconds;
            cpu.Add(mark.Per("event", "event path", stamps));
            if (read != stamps) throw new InvalidOperationException($"read {read} of {stamps} events from the outbox's backlog");
        }
        return
        [
            Row("event path: a backlog of stamped records' events, outbox to topic (relay, producer, consumer)", stamps, drained),
            Row("baseline: raw Confluent.Kafka production of the same envelopes, same consumer", stamps, raw),
            Row($"stamping with Kafka on: worker batches, outbox rows, relay meanwhile (last event read {lag:F2} s after the load's end)", stamps, accepted),
            Row("baseline: the same stamps on a silo without Kafka (no outbox rows)", stamps, withoutKafka),
            string.Create(CultureInfo.InvariantCulture, $"ratio event path / raw production: {raw / drained:F3} (target >= 0.5)"),
            string.Create(CultureInfo.InvariantCulture, $"ratio stamping with Kafka / without: {withoutKafka / accepted:F3} (target >= 0.7); last event on its topic {lag:F2} s after the load's end (target <= 10 s)"),
            .. cpu,
            .. warmUps,
        ];
    }

    /// <summary>Stamps (or raw events) in each round of a warm-up, on the silo (or producer) that the row measures.</summary>
    const int WarmRound = 5_000;

    const int MinWarmRounds = 6;

    const int MaxWarmRounds = 30;

    const int QuietMethods = 20;

    /// <summary>
    /// Runs warm-up rounds until two in a row compile fewer than <see cref="QuietMethods"/> methods each (at least
    /// <see cref="MinWarmRounds"/> rounds, at most <see cref="MaxWarmRounds"/>); says how many each compiled. Methods, not
    /// the JIT's time: on two busy cores a compilation's time is mostly its thread waiting for a core. The tiers
    /// recompile a method that got hot on a background thread, which a saturated machine starves: a fresh silo's first
    /// seconds queue thousands, and without a pause after each round they were still being compiled 150,000 stamps
    /// later (100 to 600 methods a round, and a thousand in the measured row). So each round is followed by a pause until
    /// the count stands still.
    /// </summary>
    static async Task<string> WarmAsync(string row, Func<int, Task> round)
    {
        var compiled = new List<long>();
        do
        {
            var before = System.Runtime.JitInfo.GetCompiledMethodCount();
            await round(compiled.Count);
            // Let the background compilation catch up while nothing else runs (for up to 10 s).
            for (var idle = 0; idle < 40; idle++)
            {
                var now = System.Runtime.JitInfo.GetCompiledMethodCount();
                await Task.Delay(250);
                if (System.Runtime.JitInfo.GetCompiledMethodCount() - now < 5) break;
            }
            compiled.Add(System.Runtime.JitInfo.GetCompiledMethodCount() - before);
        }
        while (compiled.Count < MaxWarmRounds && (compiled.Count < MinWarmRounds || compiled[^1] >= QuietMethods || compiled[^2] >= QuietMethods));
        return $"warm-up before {row}: {compiled.Count} rounds of {WarmRound}, methods compiled in each: {string.Join(" ", compiled)}";
    }

    static Dictionary<string, string?> Kafka(IDictionary<string, string?> postgres, string bootstrap, string environment) =>
        new(postgres) { ["KAFKA_BOOTSTRAP_SERVERS"] = bootstrap, ["ENVIRONMENT"] = environment };

    static string Row(string measure, int events, double seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"| {measure} | {events} | {seconds:F2} | {events / seconds:F0} |");

    /// <summary>Seconds to stamp every text through the worker, in batches of 100 from 8 callers.</summary>
    static async Task<double> StampAllAsync(IStampWorkerGrain worker, List<string> texts, string ns) =>
        (await Concurrently.EachAsync(texts.Chunk(100).ToList(), 8, batch => worker.StampBatchAsync(new BatchStampCommand
        {
            BatchId = Guid.NewGuid(),
            Items = [.. batch.Select(t => new StampCommand { Namespace = ns, Text = t })],
            Namespace = ns,
        }))).TotalSeconds;

    /// <summary>Seconds to produce the envelopes to the stamp-created topic of <paramref name="environment"/> (a topic of its own) and read them all back.</summary>
    static async Task<double> RawProductionAsync(string bootstrap, List<string> texts, string environment)
    {
        var envelopes = new EventEnvelopes(Options.Create(new EventOptions { Environment = environment }), TimeProvider.System);
        var now = DateTime.UtcNow;
        var events = texts.ConvertAll(t => envelopes.StampCreated(new StampRecord
        {
            StampId = Guid.CreateVersion7(), FileHash = Grains.Stamping.CanonicalContent.HashOf(t), Namespace = "bench.events", FileSize = t.Length,
            ContentType = "text/plain", StampType = StampType.Lightweight, Stamp = "-", OpId = Guid.NewGuid(), MetadataVersion = "0.1", ProtocolVersion = "1.0", CreatedAt = now,
        }, null));
        var topic = new EventTopics(environment).StampCreated;
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

    /// <summary>Messages read so far, and how many to read (more than will come until it is set).</summary>
    sealed class TopicCount
    {
        public int Seen;
        public int Target = int.MaxValue;
    }

    /// <summary>Reads <paramref name="count"/> messages from every partition of the topic (waiting for it to exist).</summary>
    static int ReadAll(string bootstrap, string topic, int count) => ReadAll(bootstrap, topic, new TopicCount { Target = count });

    /// <summary>Reads messages from every partition of the topic (waiting for it to exist) until it has the count's target, counting them as it goes.</summary>
    static int ReadAll(string bootstrap, string topic, TopicCount count)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = "bench-" + Guid.NewGuid().ToString("N"), EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest, TopicMetadataRefreshIntervalMs = 500,
        }).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
        consumer.Assign(Enumerable.Range(0, 4).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var read = 0;
        // Gives up after two minutes with nothing read (however long a warm-up before the row takes).
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (read < Volatile.Read(ref count.Target) && DateTime.UtcNow < deadline)
        {
            try
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false })
                {
                    read++;
                    Volatile.Write(ref count.Seen, read);
                    deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
                }
            }
            catch (ConsumeException)
            {
                // The topic is not there yet.
            }
        }
        return read;
    }
}
