using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Events;
using OmniBridge.Silo.Outbox;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Kafka;

/// <summary>
/// docs/protocol.md, "Events": nothing is lost while the broker is down, a silo restart neither loses nor double
/// counts, and several silos relay the same outbox without publishing an event twice. Each test
/// starts its own silos on one database and one mock broker.
/// </summary>
public sealed class KafkaFaultTests : IAsyncLifetime
{
    readonly KafkaServiceWithoutSilo service = new();

    public Task InitializeAsync() => service.InitializeAsync();

    public Task DisposeAsync() => service.DisposeAsync();

    [Fact]
    public async Task With_no_broker_reachable_stamps_are_accepted_and_every_event_arrives_once_a_broker_is()
    {
        const string ns = "kafka.outage";
        var (host, port) = Split(service.Kafka.BootstrapServers);
        using var door = new TcpForwarder(host, port);
        await using var silo = await service.StartSiloAsync($"127.0.0.1:{door.Port}");

        var created = new List<string>();
        for (var i = 0; i < 15; i++) created.Add((await silo.Http.StampAsync($"while away {i}", ns)).GetProperty("stamp_id").GetString()!);
        var batch = await silo.Http.PostJsonAsync(ApiCalls.Base + "/batch", new { @namespace = ns, items = Enumerable.Range(0, 10).Select(i => new { content = $"batch away {i}" }) });
        Assert.Equal(HttpStatusCode.OK, batch.Status);
        created.AddRange(batch.Data.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("stamp_id").GetString()!));

        // Accepted, stored, and waiting; the service says Kafka is degraded, and stays ready.
        Assert.Equal(26, await service.Database.ScalarAsync<long>("SELECT count(*) FROM event_outbox WHERE published_at IS NULL"));
        var health = await silo.Http.GetReplyAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.Status);
        var kafka = health.Data.GetProperty("components").GetProperty("kafka");
        Assert.Equal("degraded", kafka.GetProperty("status").GetString());
        Assert.Contains("26 events wait in the outbox", kafka.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetReplyAsync("/health/ready")).Status);

        door.Open();

        var envelopes = service.Envelopes(service.Topics.StampCreated, ns, created.Count, linger: TimeSpan.FromSeconds(2));
        Assert.Equal(created.Order(), envelopes.Select(e => e.Envelope.GetProperty("event_id").GetString()!).Order());
        Assert.Single(service.Envelopes(service.Topics.BatchProcessed, ns, 1));
        await Eventually.TrueAsync(async () => await service.Database.ScalarAsync<long>("SELECT count(*) FROM event_outbox WHERE published_at IS NULL") == 0,
            "the outbox is drained");
        await Eventually.TrueAsync(async () => await TotalAsync(silo, ns) == 25, "the reducer counted every stamp from the topic", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_silo_restart_neither_loses_nor_double_counts_events_and_resumes_from_the_committed_offsets()
    {
        const string ns = "kafka.restart";
        var first = await service.StartSiloAsync();
        await StampAsync(first, ns, 0, 100);
        await Eventually.TrueAsync(async () => await TotalAsync(first, ns) == 100, "the first silo counted its stamps");
        // Stamps whose events may still be in the outbox, or on the topic unread, when the silo stops.
        await StampAsync(first, ns, 100, 60);
        await first.DisposeAsync();

        // Progress is committed as Orleans' cache releases what it delivered, so the next silo does
        // not start from the beginning. What the cache still held at the stop is not committed and
        // is delivered again (Orleans.Streams.Kafka/README.md): how much varies from run to run
        // (once 72 of the first 100), so the count is not pinned; what follows checks that the
        // replay neither loses nor double counts.
        var committed = service.Kafka.Committed("omnibridge-reducers", service.Topics.StampCreated);
        Assert.True(committed.Any(o => o > 0), $"committed offsets {string.Join(",", committed)}");

        await using var second = await service.StartSiloAsync();
        await StampAsync(second, ns, 160, 40);
        await Eventually.TrueAsync(async () => await TotalAsync(second, ns) == 200, "every stamp is counted once", TimeSpan.FromSeconds(60));
        await Task.Delay(2000);
        Assert.Equal(200, await TotalAsync(second, ns));
        var aggregates = (await second.Http.GetReplyAsync($"{ApiCalls.Base}/namespace/{ns}?limit=1")).Data.GetProperty("aggregates");
        await AggregatesSql.AssertEqualAsync(service.Database.Data, ns, aggregates);
        Assert.Equal(200, service.Envelopes(service.Topics.StampCreated, ns, 200).Select(e => e.Envelope.GetProperty("event_id").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task Two_silos_relay_one_outbox_and_publish_each_event_once()
    {
        const string ns = "kafka.two";
        await using var a = await service.StartSiloAsync();
        await using var b = await service.StartSiloAsync();
        await Task.WhenAll(StampAsync(a, ns, 0, 150), StampAsync(b, ns, 150, 150));

        var envelopes = service.Envelopes(service.Topics.StampCreated, ns, 300, linger: TimeSpan.FromSeconds(3));
        Assert.Equal(300, envelopes.Count);
        Assert.Equal(300, envelopes.Select(e => e.Envelope.GetProperty("event_id").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task Many_claims_at_the_broker_at_once_keep_each_keys_write_order_and_publish_each_event_once()
    {
        const string ns = "kafka.claims";
        // Claims of 7 rows, four of them at the broker at once: 150 events are 22 claims.
        await using var silo = await service.StartSiloAsync(configure: s => s.Configure<OutboxRelayOptions>(o => (o.BatchSize, o.ClaimsInFlight) = (7, 4)));
        var envelopes = new EventEnvelopes(Options.Create(new EventOptions { Environment = KafkaService.Environment }), TimeProvider.System);
        var hash = new string('c', 64);
        var written = Enumerable.Range(0, 150).Select(i => envelopes.StampValidated(hash, ns, true, i, null)).ToList();
        var outbox = new PostgresEventOutbox(service.Database.Data);
        foreach (var chunk in written.Chunk(10)) await outbox.AddAsync(chunk);

        // One key, so one partition: the topic holds them in the order they were written, once each.
        var read = service.Envelopes(service.Topics.StampValidated, ns, 150, linger: TimeSpan.FromSeconds(2));
        Assert.Equal(written.Select(e => e.EventId.ToString("D")), read.Select(e => e.Envelope.GetProperty("event_id").GetString()));
        await Eventually.TrueAsync(async () => await service.Database.ScalarAsync<long>("SELECT count(*) FROM event_outbox WHERE published_at IS NULL") == 0,
            "every row is published");
    }

    static async Task StampAsync(SiloApp silo, string ns, int from, int count)
    {
        foreach (var chunk in Enumerable.Range(from, count).Chunk(20))
        {
            var reply = await silo.Http.PostJsonAsync(ApiCalls.Base + "/batch", new { @namespace = ns, items = chunk.Select(i => new { content = $"{ns} {i}" }) });
            Assert.Equal(HttpStatusCode.OK, reply.Status);
        }
    }

    static async Task<long> TotalAsync(SiloApp silo, string ns) =>
        (await silo.Http.GetReplyAsync($"{ApiCalls.Base}/namespace/{ns}?limit=1")).Data.GetProperty("aggregates").GetProperty("total_stamps").GetInt64();

    static (string Host, int Port) Split(string address)
    {
        var colon = address.LastIndexOf(':');
        return (address[..colon], int.Parse(address[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
