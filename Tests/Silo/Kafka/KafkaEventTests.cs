using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using OmniBridge.Grains.Events;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Kafka;

/// <summary>docs/protocol.md, "Events" on a real Kafka protocol endpoint: what a consumer of the topics sees, and what the reducers make of it.</summary>
public sealed class KafkaEventTests(KafkaService service) : IClassFixture<KafkaService>
{
    static readonly byte[] Key = Encoding.UTF8.GetBytes(KafkaService.SigningKey);
    HttpClient Http => service.Http;

    [Fact]
    public async Task Every_accepted_stamp_yields_exactly_one_signed_envelope_on_the_stamp_created_topic()
    {
        const string ns = "kafka.once";
        var created = new Dictionary<string, string>();   // stamp id -> file hash
        for (var i = 0; i < 20; i++)
        {
            var data = await Http.StampAsync($"single {i}", ns);
            created[data.GetProperty("stamp_id").GetString()!] = data.GetProperty("file_hash").GetString()!;
        }
        // The same content again: an existing record, no new event.
        for (var i = 0; i < 5; i++) Assert.False((await Http.StampAsync($"single {i}", ns)).GetProperty("created").GetBoolean());
        // A batch with repeats within it, repeats of earlier stamps, and a refused item.
        var items = Enumerable.Range(0, 30).Select(i => (object)new { id = $"b{i}", content = $"batch {i % 25}" })
            .Concat([new { id = "old", content = "single 3" }, new { id = "bad", content = (string?)null }]).ToList();
        var batch = await Http.PostJsonAsync(ApiCalls.Base + "/batch", new { @namespace = ns, items });
        Assert.Equal(HttpStatusCode.OK, batch.Status);
        foreach (var result in batch.Data.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("success").GetBoolean() && r.GetProperty("created").GetBoolean()))
            created[result.GetProperty("stamp_id").GetString()!] = result.GetProperty("file_hash").GetString()!;
        Assert.Equal(45, created.Count);

        var envelopes = service.Envelopes(service.Topics.StampCreated, ns, created.Count, linger: TimeSpan.FromSeconds(2));

        Assert.Equal(created.Count, envelopes.Count);
        Assert.Equal(created.Keys.Order(), envelopes.Select(e => e.Envelope.GetProperty("event_id").GetString()!).Order());
        Assert.All(envelopes, e =>
        {
            var (message, envelope) = e;
            var payload = envelope.GetProperty("payload");
            var id = envelope.GetProperty("event_id").GetString()!;
            Assert.Equal(created[id], message.Message.Key);
            Assert.Equal(created[id], envelope.GetProperty("partition_key").GetString());
            Assert.Equal(id, payload.GetProperty("stamp_id").GetString());
            Assert.Equal(created[id], payload.GetProperty("file_hash").GetString());
            Assert.Equal(ns, payload.GetProperty("namespace").GetString());
            Assert.Contains("hash=" + created[id], payload.GetProperty("stamp").GetString(), StringComparison.Ordinal);
            Assert.Equal("1.0", envelope.GetProperty("envelope_version").GetString());
            Assert.Equal("metadata-stamp-created", envelope.GetProperty("event_type").GetString());
            Assert.Equal("omnibridge-orleans", envelope.GetProperty("source_service").GetString());
            Assert.Equal(KafkaService.Environment, envelope.GetProperty("environment").GetString());
            Assert.Equal(id, message.Message.Headers.Text("event_id"));
            Assert.True(EventEnvelopes.Verify(Key, JsonNode.Parse(payload.GetRawText())!, envelope.GetProperty("security_context").GetProperty("hmac_signature").GetString()),
                "the payload's signature verifies with the configured key");
        });
        await Eventually.TrueAsync(async () => await service.Database.ScalarAsync<long>("SELECT count(*) FROM event_outbox WHERE published_at IS NULL") == 0,
            "the outbox is drained");
    }

    [Fact]
    public async Task Every_stamp_type_goes_through_the_topic_to_the_reducer_and_none_is_dead_lettered()
    {
        const string ns = "kafka.types";
        await Http.StampAsync("lightweight through kafka", ns);
        await Http.StampAsync("rich through kafka", ns, "rich");
        var binary = await Http.PostJsonAsync(ApiCalls.Base + "/stamp", new { content_base64 = Convert.ToBase64String([0, 1, 2, 3, 255]), @namespace = ns });
        Assert.Equal(HttpStatusCode.Created, binary.Status);
        Assert.Equal("detached", binary.Data.GetProperty("stamp_type").GetString());
        var batch = await Http.PostJsonAsync(ApiCalls.Base + "/batch", new { @namespace = ns, items = new[] { new { content_base64 = Convert.ToBase64String([9, 8, 7]) } } });
        Assert.Equal(HttpStatusCode.OK, batch.Status);

        var envelopes = service.Envelopes(service.Topics.StampCreated, ns, 4);
        Assert.Equal(["detached", "detached", "lightweight", "rich"], envelopes.Select(e => e.Envelope.GetProperty("payload").GetProperty("stamp_type").GetString()).Order());
        // Counted from the topic (this service's reducers never sweep the store), none set aside.
        await Eventually.TrueAsync(async () => await TotalAsync(ns) == 4, "the reducer counts all four stamps from the topic");
        Assert.Empty(service.Kafka.ReadAll(EventTopics.DeadLetter(service.Topics.StampCreated), 0, where: m => m.Message.Value.Contains(ns, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Text_outside_ASCII_reaches_the_topic_as_it_was_written()
    {
        // Characters of two, three and four bytes in UTF-8 come out as they were sent (the envelope escapes them; the
        // relay's handling of raw ones is OutboxTests' A_claim_gives_each_envelope_as_the_UTF8_bytes_of_its_text).
        const string ns = "kafka.unicode";
        const string path = "données/ファイル.txt", note = "Grüße ✓ 😀";
        var reply = await Http.PostJsonAsync(ApiCalls.Base + "/stamp", new { content = "naïve café", @namespace = ns, file_path = path, metadata = new { note } });
        Assert.Equal(HttpStatusCode.Created, reply.Status);

        var message = Assert.Single(service.Kafka.ReadAll(service.Topics.StampCreated, 1, where: m => m.Message.Value.Contains(ns, StringComparison.Ordinal)));
        using var envelope = JsonDocument.Parse(message.Message.Value);
        var payload = envelope.RootElement.GetProperty("payload");
        Assert.Equal((path, note), (payload.GetProperty("file_path").GetString(), payload.GetProperty("metadata").GetProperty("note").GetString()));
    }

    [Fact]
    public async Task A_request_id_becomes_the_correlation_id_of_its_events()
    {
        const string ns = "kafka.correlation";
        using var request = new HttpRequestMessage(HttpMethod.Post, ApiCalls.Base + "/stamp")
        {
            Content = JsonContent(new { content = "correlated", @namespace = ns }),
        };
        request.Headers.Add("X-Request-ID", "req-42");
        Assert.Equal(HttpStatusCode.Created, (await Http.SendAsync(request)).StatusCode);

        var envelope = Assert.Single(service.Envelopes(service.Topics.StampCreated, ns, 1)).Envelope;
        Assert.Equal("req-42", envelope.GetProperty("correlation_id").GetString());
    }

    [Fact]
    public async Task A_batch_stamped_in_parts_publishes_one_batch_processed_event_counting_all_its_parts()
    {
        const string ns = "kafka.parts";
        // The whole second part (items 250 to 499) and the last item are refused: a part with nothing to store still counts.
        var items = Enumerable.Range(0, 600).Select(i => i is (>= 250 and < 500) or 599 ? (object)new { id = $"refused {i}" } : new { content = $"part {i}" });
        var batch = await Http.PostJsonAsync(ApiCalls.Base + "/batch", new { @namespace = ns, items });
        Assert.Equal((HttpStatusCode.OK, 349), (batch.Status, batch.Data.GetProperty("successful_items").GetInt32()));

        // Read on for a while after the first: a part announced on its own would show up as a second event.
        var processedEnvelope = Assert.Single(service.Envelopes(service.Topics.BatchProcessed, ns, 1, linger: TimeSpan.FromSeconds(2))).Envelope;
        var processed = processedEnvelope.GetProperty("payload");
        Assert.Equal(batch.Data.GetProperty("batch_id").GetString(), processed.GetProperty("batch_id").GetString());
        Assert.Equal((600, 349, 251), (processed.GetProperty("total_items").GetInt32(), processed.GetProperty("successful_items").GetInt32(), processed.GetProperty("failed_items").GetInt32()));
        var created = service.Envelopes(service.Topics.StampCreated, ns, 349);
        Assert.Equal(349, created.Count);

        // Once published and settled, the batch's own event keeps its id against a second write; the created events keep
        // none (only the insert that creates a stamp writes its event), neither when written nor when published.
        var createdIds = string.Join(", ", created.Select(c => $"'{c.Envelope.GetProperty("event_id").GetString()}'"));
        await Eventually.TrueAsync(async () => await service.Database.ScalarAsync<long>($"SELECT count(*) FROM event_outbox WHERE event_id IN ({createdIds})") == 0,
            "the relay settles the created events");
        Assert.Equal(0L, await service.Database.ScalarAsync<long>($"SELECT count(*) FROM event_outbox_written WHERE event_id IN ({createdIds})"));
        Assert.Equal(1L, await service.Database.ScalarAsync<long>($"SELECT count(*) FROM event_outbox_written WHERE event_id = '{processedEnvelope.GetProperty("event_id").GetString()}'"));
    }

    [Fact]
    public async Task Batches_validations_and_workflows_publish_their_events_with_the_payloads_of_the_spec()
    {
        const string ns = "kafka.others";
        var batch = await Http.PostJsonAsync(ApiCalls.Base + "/batch", new
        {
            @namespace = ns,
            items = new object[] { new { content = "one" }, new { content = "two" }, new { content = (string?)null } },
        });
        var batchId = batch.Data.GetProperty("batch_id").GetString();
        var stamped = (await Http.StampAsync("validate me", ns)).GetProperty("stamped_content").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await Http.PostJsonAsync(ApiCalls.Base + "/validate", new { content = stamped, @namespace = ns })).Status);
        var workflow = await Http.PostJsonAsync("/api/v1/workflows", new { @namespace = ns, items = new[] { new { content = "flow" } } });
        Assert.Equal(HttpStatusCode.Accepted, workflow.Status);
        var workflowId = workflow.Data.GetProperty("workflow_id").GetString();

        var processed = Assert.Single(service.Envelopes(service.Topics.BatchProcessed, ns, 1)).Envelope.GetProperty("payload");
        Assert.Equal(batchId, processed.GetProperty("batch_id").GetString());
        Assert.Equal((3, 2, 1), (processed.GetProperty("total_items").GetInt32(), processed.GetProperty("successful_items").GetInt32(), processed.GetProperty("failed_items").GetInt32()));
        Assert.True(processed.GetProperty("processing_time_ms").GetDouble() >= 0);

        var validated = Assert.Single(service.Envelopes(service.Topics.StampValidated, ns, 1)).Envelope.GetProperty("payload");
        Assert.True(validated.GetProperty("is_valid").GetBoolean());
        Assert.Equal(1, validated.GetProperty("stamps_found").GetInt32());
        Assert.Matches("^[0-9a-f]{64}$", validated.GetProperty("file_hash").GetString());

        var moves = service.Envelopes(service.Topics.WorkflowTransition, ns, 2).Select(e => e.Envelope).ToList();
        Assert.All(moves, m => Assert.Equal(workflowId, m.GetProperty("partition_key").GetString()));
        Assert.Equal(["pending>processing", "processing>completed"],
            moves.Select(m => m.GetProperty("payload")).Select(p => $"{p.GetProperty("from_state").GetString()}>{p.GetProperty("to_state").GetString()}").Order());
        var completed = Assert.Single(service.Envelopes(service.Topics.WorkflowCompleted, ns, 1)).Envelope;
        Assert.Equal(workflowId, completed.GetProperty("payload").GetProperty("workflow_id").GetString());
    }

    [Fact]
    public async Task The_reducers_fold_what_arrives_through_kafka_into_aggregates_equal_to_sql()
    {
        // The store sweep is off: only events read from the topic are counted.
        var spaces = Enumerable.Range(0, 4).Select(n => $"kafka.reduce.n{n}").ToList();
        await Task.WhenAll(spaces.Select(async (ns, n) =>
        {
            var items = Enumerable.Range(0, 120).Select(i => new { content = $"{ns} {i} " + new string('y', i * 53 % 2000), file_path = $"src/f{i % 7}.{(i % 3 == 0 ? "py" : "md")}" }).ToList();
            foreach (var chunk in items.Chunk(40))
                Assert.Equal(HttpStatusCode.OK, (await Http.PostJsonAsync(ApiCalls.Base + "/batch", new { @namespace = ns, items = chunk })).Status);
            for (var i = 0; i < 10; i++) await Http.StampAsync($"{ns} single {i}", ns);
        }));

        foreach (var ns in spaces)
        {
            JsonElement aggregates = default;
            await Eventually.TrueAsync(async () =>
            {
                aggregates = (await Http.GetReplyAsync($"{ApiCalls.Base}/namespace/{ns}?limit=1")).Data.GetProperty("aggregates");
                return aggregates.GetProperty("total_stamps").GetInt64() == 130;
            }, $"{ns} is folded from the topic", TimeSpan.FromSeconds(60));
            await AggregatesSql.AssertEqualAsync(service.Database.Data, ns, aggregates);
        }
    }

    [Fact]
    public async Task A_redelivered_envelope_is_not_counted_twice()
    {
        const string ns = "kafka.dedupe";
        for (var i = 0; i < 5; i++) await Http.StampAsync($"dedupe {i}", ns);
        await Eventually.TrueAsync(async () => await TotalAsync(ns) == 5, "the five are folded");

        // Somebody re-publishes every envelope of the namespace (a relay re-send, a replay).
        using (var producer = service.Kafka.Producer())
        {
            foreach (var (message, _) in service.Envelopes(service.Topics.StampCreated, ns, 5))
                await producer.ProduceAsync(service.Topics.StampCreated, new Message<string, string> { Key = message.Message.Key, Value = message.Message.Value });
        }
        // Once the reducers' group has committed past every message on the topic, the copies have
        // all been delivered to the reducer, and the count is what it is going to be.
        var ends = service.Kafka.EndOffsets(service.Topics.StampCreated);
        await Eventually.TrueAsync(() => Task.FromResult(service.Kafka.Committed("omnibridge-reducers", service.Topics.StampCreated).Zip(ends).All(p => p.Second == 0 || p.First >= p.Second)),
            "the reducers have processed every copy");
        await Task.Delay(1500);   // a fold every second
        Assert.Equal(5, await TotalAsync(ns));
    }

    [Fact]
    public async Task A_message_that_cannot_be_read_goes_to_the_dead_letter_topic_with_the_error_and_the_partition_moves_on()
    {
        const string ns = "kafka.poison";
        var topic = service.Topics.StampCreated;
        using (var producer = service.Kafka.Producer())
        {
            // Same key as the stamp below, so the same partition: it has to get past the poison.
            var key = OmniBridge.Grains.Stamping.CanonicalContent.HashOf("after the poison");
            await producer.ProduceAsync(topic, new Message<string, string> { Key = key, Value = "{ not json" });
            await producer.ProduceAsync(topic, new Message<string, string>
            {
                Key = key,
                Value = $$"""{"event_type":"metadata-stamp-created","metadata":{"namespace":"{{ns}}"},"payload":{"stamp_id":"x"},"security_context":null}""",
            });
            // Duplicate keys make the JSON parser itself throw.
            await producer.ProduceAsync(topic, new Message<string, string> { Key = key, Value = """{"event_type":"a","event_type":"b","payload":{}}""" });
        }
        await Http.StampAsync("after the poison", ns);

        var dead = service.Kafka.ReadAll(EventTopics.DeadLetter(topic), 3);
        Assert.Equal(3, dead.Count);
        Assert.Contains(dead, d => d.Message.Value == "{ not json" && d.Message.Headers.Text("error")!.Contains("not JSON", StringComparison.Ordinal));
        Assert.Contains(dead, d => d.Message.Headers.Text("error")!.Contains("signature", StringComparison.Ordinal));
        Assert.Contains(dead, d => d.Message.Value.Contains("\"event_type\":\"b\"", StringComparison.Ordinal));
        Assert.All(dead, d => Assert.Equal(topic, d.Message.Headers.Text("source_topic")));
        await Eventually.TrueAsync(async () => await TotalAsync(ns) == 1, "the stamp after the poison is folded");
    }

    [Fact]
    public async Task Records_at_every_limit_at_once_fit_a_brokers_default_message_size_and_reach_the_reducer()
    {
        const string ns = "kafka.limits";
        var fields = RecordLimitSamples.AtEveryLimit();
        var single = await Http.PostRawAsync(ApiCalls.Base + "/stamp", RecordLimitSamples.Request("at every limit", ns, fields).ToJsonString(), "application/json");
        Assert.True(single.Status == HttpStatusCode.Created, single.ToString());
        var items = new JsonArray([.. Enumerable.Range(0, 3).Select(i => (JsonNode)RecordLimitSamples.Request($"at every limit {i}", ns, fields))]);
        var batch = await Http.PostRawAsync(ApiCalls.Base + "/batch", new JsonObject { ["namespace"] = ns, ["items"] = items }.ToJsonString(), "application/json");
        Assert.Equal((HttpStatusCode.OK, "success"), (batch.Status, batch.EnvelopeStatus));

        var envelopes = service.Envelopes(service.Topics.StampCreated, ns, 4);
        Assert.Equal(4, envelopes.Count);
        // The envelope escapes every '<' as six bytes, the worst a JSON encoder does: still under a
        // broker's default message size (message.max.bytes, 1,000,012; the producer's own 1,000,000).
        var largest = envelopes.Max(e => Encoding.UTF8.GetByteCount(e.Message.Message.Value));
        Assert.InRange(largest, 500_000, 1_000_000);
        Assert.All(envelopes, e => Assert.Equal(256, e.Envelope.GetProperty("payload").GetProperty("metadata").EnumerateObject().Count()));
        await Eventually.TrueAsync(async () => await TotalAsync(ns) == 4, "the reducer counted the four records from the topic");
    }

    async Task<long> TotalAsync(string ns) =>
        (await Http.GetReplyAsync($"{ApiCalls.Base}/namespace/{ns}?limit=1")).Data.GetProperty("aggregates").GetProperty("total_stamps").GetInt64();

    static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
