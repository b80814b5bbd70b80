using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using OmniBridge.Grains.Events;
using OmniBridge.Silo.Outbox;
using OmniBridge.Tests.Fixtures;
using ErrorCode = Confluent.Kafka.ErrorCode;

namespace OmniBridge.Tests.Silo.Kafka;

/// <summary>
/// docs/protocol.md, "Events": an event the broker refuses for itself is tried
/// KAFKA_PERMANENT_FAILURE_ATTEMPTS times, then goes to its topic's dead-letter topic and leaves the
/// outbox, while the events written after it, of its key and of others, are delivered meanwhile;
/// /health and Prometheus count it. The refusal is real: librdkafka's producer refuses a message over
/// its message.max.bytes (1,000,000), as a broker refuses one over its own.
/// </summary>
public sealed class KafkaDeadLetterTests : IAsyncLifetime
{
    readonly KafkaServiceWithoutSilo service = new();

    public Task InitializeAsync() => service.InitializeAsync();

    public Task DisposeAsync() => service.DisposeAsync();

    [Fact]
    public async Task An_event_refused_for_itself_goes_to_the_dead_letter_topic_after_the_configured_attempts_while_later_events_are_delivered()
    {
        const string ns = "kafka.dead";
        await using var silo = await service.StartSiloAsync(settings: new Dictionary<string, string> { ["KAFKA_PERMANENT_FAILURE_ATTEMPTS"] = "3" });
        var envelopes = new EventEnvelopes(Options.Create(new EventOptions { Environment = KafkaService.Environment }), TimeProvider.System);
        string same = new('a', 64), other = new('b', 64);
        var before = envelopes.StampValidated(same, ns, true, 1, null);
        // An envelope of 1.2 MB, as an event written before the record limits existed could be.
        var oversized = envelopes.StampValidated(same, ns, true, 2, null);
        var padded = JsonNode.Parse(oversized.Envelope)!;
        padded["payload"]!["padding"] = new string('x', 1_200_000);
        var poison = oversized with { Envelope = padded.ToJsonString() };
        var after = Enumerable.Range(0, 6).Select(i => envelopes.StampValidated(i % 2 == 0 ? same : other, ns, true, 10 + i, null)).ToList();
        await new PostgresEventOutbox(service.Database.Data).AddAsync([before, poison, .. after]);

        // Everything else is delivered, the events of the poison's own key included.
        var topic = service.Topics.StampValidated;
        var delivered = service.Envelopes(topic, ns, 7);
        Assert.Equal(after.Prepend(before).Select(e => e.EventId.ToString("D")).Order(), delivered.Select(d => d.Envelope.GetProperty("event_id").GetString()!).Order());

        await Eventually.TrueAsync(async () => await service.Database.ScalarAsync<bool>($"SELECT dead_lettered_at IS NOT NULL FROM event_outbox WHERE event_id = '{poison.EventId}'"),
            "the poison is dead-lettered", TimeSpan.FromSeconds(60));
        Assert.Equal(3, await service.Database.ScalarAsync<int>($"SELECT refusals FROM event_outbox WHERE event_id = '{poison.EventId}'"));
        Assert.Contains("MsgSizeTooLarge", await service.Database.ScalarAsync<string>($"SELECT last_error FROM event_outbox WHERE event_id = '{poison.EventId}'"), StringComparison.Ordinal);
        // The others were not held up: all were sent (the producer's time on each message) before the poison was set aside.
        var setAside = await service.Database.ScalarAsync<DateTime>($"SELECT dead_lettered_at FROM event_outbox WHERE event_id = '{poison.EventId}'");
        Assert.True(delivered.Max(d => d.Message.Message.Timestamp.UtcDateTime) < setAside, "the other events went before the poison was set aside");
        // Nothing waits, and the poison's row is the only one kept (published rows are deleted).
        Assert.Equal(0, await service.Database.ScalarAsync<long>("SELECT count(*) FROM event_outbox WHERE published_at IS NULL"));
        Assert.Equal(1, await service.Database.ScalarAsync<long>($"SELECT count(*) FROM event_outbox WHERE event_id IN ('{before.EventId}', '{poison.EventId}')"));

        // Once on its dead-letter topic, with the error and where it came from; too large for that
        // topic too, it goes without its value, which stays in the outbox row.
        var dead = ReadBytes(EventTopics.DeadLetter(topic), poison.EventId);
        var letter = Assert.Single(dead);
        Assert.Equal(same, Encoding.UTF8.GetString(letter.Message.Key));
        Assert.Empty(letter.Message.Value);
        Assert.Contains("MsgSizeTooLarge", letter.Message.Headers.Text("error"), StringComparison.Ordinal);
        Assert.Equal(topic, letter.Message.Headers.Text("source_topic"));
        Assert.Equal("metadata-stamp-validated", letter.Message.Headers.Text("event_type"));
        Assert.Equal(Encoding.UTF8.GetByteCount(poison.Envelope).ToString(System.Globalization.CultureInfo.InvariantCulture), letter.Message.Headers.Text("value_omitted_bytes"));
        Assert.Empty(service.Kafka.ReadAll(topic, 0, m => m.Message.Headers.Text("event_id") == poison.EventId.ToString("D")));

        // Counted where an operator looks.
        var health = await silo.Http.GetReplyAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.Status);
        var kafka = health.Data.GetProperty("components").GetProperty("kafka");
        Assert.Equal(1, kafka.GetProperty("dead_letters").GetInt64());
        Assert.Contains("dead-letter", kafka.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var metrics = await silo.Http.GetStringAsync("/metrics");
        Assert.Matches(new Regex($@"(?m)^omnibridge_outbox_dead_letters_total\{{[^}}]*topic=""{Regex.Escape(topic)}""[^}}]*\}} 1( |$)"), metrics);
    }

    [Theory]
    [InlineData(ErrorCode.MsgSizeTooLarge, true)]
    [InlineData(ErrorCode.RecordListTooLarge, true)]
    [InlineData(ErrorCode.InvalidMsg, true)]
    [InlineData(ErrorCode.InvalidRecord, true)]
    [InlineData(ErrorCode.InvalidTimestamp, true)]
    [InlineData(ErrorCode.Local_MsgTimedOut, false)]
    [InlineData(ErrorCode.Local_Transport, false)]
    [InlineData(ErrorCode.Local_QueueFull, false)]
    [InlineData(ErrorCode.NotEnoughReplicas, false)]
    [InlineData(ErrorCode.TopicAuthorizationFailed, false)]
    [InlineData(ErrorCode.UnknownTopicOrPart, false)]
    public void Only_a_refusal_of_the_event_itself_counts_towards_its_dead_letter(ErrorCode code, bool forItself) =>
        Assert.Equal(forItself, OutboxDeadLetters.RefusesForItself(code));

    /// <summary>The messages of <paramref name="topic"/> with <paramref name="eventId"/>, read as bytes (a dead letter's value may be empty).</summary>
    List<ConsumeResult<byte[], byte[]>> ReadBytes(string topic, Guid eventId)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = service.Kafka.BootstrapServers,
            GroupId = "dead-reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Assign(Enumerable.Range(0, 4).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var read = new List<ConsumeResult<byte[], byte[]>>();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < until)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } message && message.Message.Headers.Text("event_id") == eventId.ToString("D")) read.Add(message);
        }
        return read;
    }
}
