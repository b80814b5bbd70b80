using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Grains.Events;
using OmniBridge.Silo.Kafka;

namespace OmniBridge.Bench;

/// <summary>
/// The codegen event protocol's round trip (docs/codegen-events.md): analysis requests, as the original's producers send them,
/// produced by a plain Confluent producer to omninode_codegen_request_analyze_v1 on librdkafka's mock cluster (in this
/// process), answered by a silo on PostgreSQL with Kafka configured (the PRD read into requirements, the template variant and
/// mixins chosen, event_logs written), read back by a plain consumer of the response topic. Timed from the send to the answer
/// read: one request at a time, then eight in flight. The PRD is the README's user_crud node as a document.
/// </summary>
public static class CodegenEventBenchmark
{
    const string Prd = """
        # User CRUD Service

        User CRUD operations with PostgreSQL, connection pooling and automatic retry.

        ## Operations
        - Create user
        - Read user
        - Update user
        - Delete user
        - List users

        ## Features
        - connection pooling
        - automatic retry
        - metrics
        """;

    public static async Task<List<string>> RunAsync(IDictionary<string, string?> postgres, int requests)
    {
        using var broker = new AdminClientBuilder(new AdminClientConfig(new Dictionary<string, string> { ["test.mock.num.brokers"] = "1" })).SetLogHandler((_, _) => { }).Build();
        var address = broker.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Single();
        var bootstrap = $"{address.Host}:{address.Port}";
        await using var silo = await InProcessSilo.StartAsync(new Dictionary<string, string?>(postgres) { ["KAFKA_BOOTSTRAP_SERVERS"] = bootstrap, ["ENVIRONMENT"] = "bench" });
        await silo.Services.GetRequiredService<TopicProvisioner>().Settled;

        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 0 }).SetLogHandler((_, _) => { }).Build();
        var waiting = new ConcurrentDictionary<string, TaskCompletionSource<double>>();
        using var stop = new CancellationTokenSource();
        var reader = Task.Factory.StartNew(() => Read(bootstrap, waiting, stop.Token), TaskCreationOptions.LongRunning);

        async Task<double> RoundTripAsync()
        {
            var correlation = Guid.NewGuid().ToString("D");
            var session = Guid.NewGuid().ToString("D");
            var answered = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting[correlation] = answered;
            var started = Stopwatch.GetTimestamp();
            await producer.ProduceAsync(CodegenTopics.Request(CodegenTopics.Analyze), new Message<string, string>
            {
                Key = session,
                Value = new JsonObject
                {
                    ["correlation_id"] = correlation, ["session_id"] = session, ["prd_content"] = Prd, ["analysis_type"] = "full",
                    ["workspace_context"] = new JsonObject { ["domain"] = "database" }, ["timestamp"] = DateTime.UtcNow.ToString("O"), ["schema_version"] = "1.0",
                }.ToJsonString(),
            });
            var at = await answered.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return (at - started) * 1000.0 / Stopwatch.Frequency;
        }

        // Warm-up: the group join, the topics' first metadata and the JIT are not what is measured.
        await RoundTripAsync();
        for (var i = 0; i < 50; i++) await RoundTripAsync();

        var serial = new List<double>(requests);
        for (var i = 0; i < requests; i++) serial.Add(await RoundTripAsync());
        var concurrent = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, requests), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) => concurrent.Add(await RoundTripAsync()));
        var seconds = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await reader;
        return
        [
            Row("analysis request → response, one at a time", serial),
            Row(string.Create(CultureInfo.InvariantCulture, $"analysis request → response, 8 in flight ({requests / seconds:F0} requests/s)"), [.. concurrent]),
            string.Create(CultureInfo.InvariantCulture, $"p95 one at a time {P(serial, 0.95):F1} ms, 8 in flight {P([.. concurrent], 0.95):F1} ms (target <= 200 ms)"),
        ];
    }

    /// <summary>Reads every answer from the response topic's end, stamping each waiting request with the time its answer arrived.</summary>
    static void Read(string bootstrap, ConcurrentDictionary<string, TaskCompletionSource<double>> waiting, CancellationToken stop)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "bench-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            FetchWaitMaxMs = 5,
        }).SetLogHandler((_, _) => { }).Build();
        var topic = CodegenTopics.Response(CodegenTopics.Analyze);
        var assigned = false;
        while (!stop.IsCancellationRequested)
        {
            if (!assigned)
            {
                using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).SetLogHandler((_, _) => { }).Build();
                var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(5)).Topics.Single();
                if (metadata.Error.IsError || metadata.Partitions.Count == 0)
                {
                    Thread.Sleep(20);
                    continue;
                }
                consumer.Assign(metadata.Partitions.Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning)));
                assigned = true;
            }
            if (consumer.Consume(TimeSpan.FromMilliseconds(50)) is not { Message: { } message }) continue;
            var at = Stopwatch.GetTimestamp();
            using var answer = JsonDocument.Parse(message.Value);
            if (waiting.TryRemove(answer.RootElement.GetProperty("correlation_id").GetString()!, out var answered)) answered.TrySetResult(at);
        }
        consumer.Close();
    }

    static double P(List<double> sorted, double q)
    {
        var values = sorted.Order().ToArray();
        return values[Math.Min(values.Length - 1, (int)Math.Ceiling(q * values.Length) - 1)];
    }

    static string Row(string what, List<double> times) =>
        string.Create(CultureInfo.InvariantCulture, $"| {what} | {times.Count} | {P(times, 0.50):F1} | {P(times, 0.95):F1} | {P(times, 0.99):F1} |");
}
