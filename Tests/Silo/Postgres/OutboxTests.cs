using Microsoft.Extensions.Options;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces.Workflows;
using OmniBridge.Silo.Outbox;
using OmniBridge.Silo.Postgres;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Postgres;

/// <summary>
/// event_outbox (docs/protocol.md, "Events"): events are written with their effects and only with them, once each,
/// and the relay's claims never hand one row to two relays at once.
/// </summary>
public sealed class OutboxTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    readonly EventEnvelopes envelopes = new(Options.Create(new EventOptions { Environment = "outbox" }), TimeProvider.System);

    Task<long> CountAsync(string where) => database.ScalarAsync<long>($"SELECT count(*) FROM event_outbox WHERE {where}");

    [Fact]
    public async Task A_stamps_created_event_is_written_with_the_stamp_and_not_when_the_stamp_already_existed()
    {
        var store = new PostgresStampStore(database.Data);
        var first = Samples.Record(new string('1', 64), ns: "outbox.stamps");
        var again = Samples.Record(new string('1', 64), ns: "outbox.stamps");   // same content, a later request
        var batchEvent = envelopes.BatchProcessed(Guid.NewGuid(), "outbox.stamps", 2, 1, 1.5, null);

        var created = envelopes.StampCreated(first, null);
        Assert.True((await store.AddAsync(first, new StampOutboxEvents([created], []))).Created);
        Assert.False((await store.AddBatchAsync([again], new StampOutboxEvents([envelopes.StampCreated(again, null)], [batchEvent])))[0].Created);

        Assert.Equal(1, await CountAsync($"event_id = '{first.StampId}'"));
        Assert.Equal(0, await CountAsync($"event_id = '{again.StampId}'"));
        Assert.Equal(1, await CountAsync($"event_id = '{batchEvent.EventId}'"));
        // Only the batch's own event needs its id kept against a second write: the created event is written only by
        // the insert that creates its stamp, which happens once.
        Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT count(*) FROM event_outbox_written WHERE event_id IN ('{first.StampId}', '{again.StampId}')"));
        Assert.Equal(1L, await database.ScalarAsync<long>($"SELECT count(*) FROM event_outbox_written WHERE event_id = '{batchEvent.EventId}'"));
        // Written exactly as built: the envelope's text, key order included.
        var written = await database.ScalarAsync<string>($"SELECT envelope::text FROM event_outbox WHERE event_id = '{first.StampId}'");
        Assert.Equal(created.Envelope, written);
        // Written again (a retried call) after the relay published and deleted its row, it writes nothing: the stamp exists.
        await database.ExecuteAsync($"DELETE FROM event_outbox WHERE event_id = '{first.StampId}'");
        await store.AddAsync(first, new StampOutboxEvents([created], []));
        Assert.Equal(0, await CountAsync($"event_id = '{first.StampId}'"));
    }

    [Fact]
    public async Task Recording_a_workflow_again_writes_none_of_its_events_twice()
    {
        var journal = new PostgresWorkflowJournal(database.Data);
        var at = DateTime.UtcNow;
        var workflow = new WorkflowView
        {
            WorkflowId = Guid.NewGuid(), Namespace = "outbox.wf", State = WorkflowPhase.Completed, ItemCount = 1, CreatedAt = at, Steps = [],
            History = [new WorkflowTransition { From = WorkflowPhase.Pending, To = WorkflowPhase.Processing, At = at },
                       new WorkflowTransition { From = WorkflowPhase.Processing, To = WorkflowPhase.Completed, At = at }],
        };
        await journal.RecordAsync(workflow, [.. envelopes.WorkflowMoves(workflow)]);
        await journal.RecordAsync(workflow, [.. envelopes.WorkflowMoves(workflow)]);

        Assert.Equal(3, await CountAsync($"partition_key = '{workflow.WorkflowId}'"));
    }

    [Fact]
    public async Task Writers_racing_on_the_same_events_write_each_once()
    {
        var outbox = new PostgresEventOutbox(database.Data);
        var events = Enumerable.Range(0, 50).Select(i => envelopes.StampValidated(new string('d', 64), "outbox.race", true, i, null)).ToList();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => outbox.AddAsync(events))));

        var ids = string.Join(", ", events.Select(e => $"'{e.EventId}'"));
        Assert.Equal(50, await CountAsync($"event_id IN ({ids})"));
        Assert.Equal(50, await database.ScalarAsync<long>($"SELECT count(*) FROM event_outbox_written WHERE event_id IN ({ids})"));
    }

    [Fact]
    public async Task Relays_claim_disjoint_rows_in_write_order_hold_them_until_settled_and_settled_rows_are_not_claimed_again()
    {
        // A database of its own, so that only these rows are pending.
        await using var own = await PostgresDatabase.CreateAsync();
        var outbox = new PostgresEventOutbox(own.Data);
        var backlog = new OutboxBacklog(own.Data);
        var events = Enumerable.Range(0, 10).Select(i => envelopes.StampValidated(new string('f', 64), "outbox.claims", true, i, null)).ToList();
        await outbox.AddAsync(events);
        Assert.Equal(10, await backlog.PendingAsync(CancellationToken.None));
        int Order(PendingEvent e) => events.FindIndex(x => x.EventId == e.EventId);

        // Two relays at once: each row to one of them, each claim in write order.
        await using var first = await backlog.ClaimAsync(6, CancellationToken.None);
        await using var second = await backlog.ClaimAsync(6, CancellationToken.None);
        Assert.Equal([.. Enumerable.Range(0, 6)], first.Events.Select(Order));
        Assert.Equal([.. Enumerable.Range(6, 4)], second.Events.Select(Order));
        // Claimed rows are nobody else's while their claim holds them.
        await using (var third = await backlog.ClaimAsync(10, CancellationToken.None))
            Assert.Empty(third.Events);

        await first.SettleAsync(new Settlement { Published = [.. first.Events.Select(e => e.EventId)] }, backOff: false, CancellationToken.None);
        // Published rows leave the outbox, and writing their events again writes nothing: not a second send.
        Assert.Equal(4, await own.ScalarAsync<long>("SELECT count(*) FROM event_outbox"));
        await outbox.AddAsync(events);
        Assert.Equal(4, await own.ScalarAsync<long>("SELECT count(*) FROM event_outbox"));
        // A relay that dies before it settles lets its rows go at once (its connection closes).
        await second.DisposeAsync();
        // Rows refused six times before: the back-off (2^attempts s) is 64 s, far longer than the
        // checks below can take, however slow the machine (after a first refusal it would be 1 s).
        await own.ExecuteAsync("UPDATE event_outbox SET attempts = 6 WHERE published_at IS NULL");
        await using (var again = await backlog.ClaimAsync(10, CancellationToken.None))
        {
            Assert.Equal([.. Enumerable.Range(6, 4)], again.Events.Select(Order));
            await again.SettleAsync(new Settlement { Failed = [.. again.Events.Select(e => (e.EventId, "broker away"))] }, backOff: true, CancellationToken.None);
        }
        Assert.Equal(4, await backlog.PendingAsync(CancellationToken.None));
        // Refused rows wait their back-off before they are claimed again...
        await using (var waiting = await backlog.ClaimAsync(10, CancellationToken.None))
            Assert.Empty(waiting.Events);
        Assert.Equal(4, await own.ScalarAsync<long>(
            "SELECT count(*) FROM event_outbox WHERE attempts = 7 AND last_error = 'broker away' AND next_attempt_at BETWEEN now() + interval '50 seconds' AND now() + interval '64 seconds'"));
        // ...and without back-off (the broker was away, the relay itself waits) they are due at once.
        await own.ExecuteAsync("UPDATE event_outbox SET next_attempt_at = now() - interval '1 second' WHERE published_at IS NULL");
        await using (var retried = await backlog.ClaimAsync(10, CancellationToken.None))
        {
            Assert.Equal(4, retried.Events.Count);
            await retried.SettleAsync(new Settlement { Failed = [.. retried.Events.Select(e => (e.EventId, "broker away"))] }, backOff: false, CancellationToken.None);
        }
        await using (var due = await backlog.ClaimAsync(10, CancellationToken.None))
            Assert.Equal(4, due.Events.Count);

        // The ids of written events are forgotten once older than the retention, and only then is
        // a write of the same event a new one.
        Assert.Equal(0, await backlog.DeleteExpiredAsync(TimeSpan.FromHours(1), CancellationToken.None));
        await own.ExecuteAsync("UPDATE event_outbox_written SET written_at = now() - interval '2 hours'");
        Assert.Equal(10, await backlog.DeleteExpiredAsync(TimeSpan.FromHours(1), CancellationToken.None));
        Assert.Equal(0, await own.ScalarAsync<long>("SELECT count(*) FROM event_outbox_written"));
        await outbox.AddAsync(events);
        Assert.Equal(10, await own.ScalarAsync<long>("SELECT count(*) FROM event_outbox"));
    }

    [Fact]
    public async Task A_row_without_its_id_refuses_a_second_write_once_published()
    {
        await using var own = await PostgresDatabase.CreateAsync();
        var outbox = new PostgresEventOutbox(own.Data);
        var backlog = new OutboxBacklog(own.Data);
        var old = envelopes.StampValidated(new string('c', 64), "outbox.noid", true, 1, null);
        var waiting = envelopes.StampValidated(new string('c', 64), "outbox.noid", true, 2, null);
        // One row as a silo from before sql/0019 writes it (no id recorded), and one whose id
        // expired while it waited (a broker away for longer than the retention).
        await own.ExecuteAsync($"""
            INSERT INTO event_outbox (event_id, topic, partition_key, event_type, envelope)
            VALUES ('{old.EventId}', '{old.Topic}', '{old.PartitionKey}', '{old.EventType}', '{old.Envelope.Replace("'", "''", StringComparison.Ordinal)}')
            """);
        await outbox.AddAsync([waiting]);
        await own.ExecuteAsync("UPDATE event_outbox_written SET written_at = now() - interval '2 hours'");
        Assert.Equal(1, await backlog.DeleteExpiredAsync(TimeSpan.FromHours(1), CancellationToken.None));

        await using (var claim = await backlog.ClaimAsync(10, CancellationToken.None))
            await claim.SettleAsync(new Settlement { Published = [.. claim.Events.Select(e => e.EventId)] }, backOff: false, CancellationToken.None);
        Assert.Equal(0, await own.ScalarAsync<long>("SELECT count(*) FROM event_outbox"));

        await outbox.AddAsync([old, waiting]);
        Assert.Equal(0, await own.ScalarAsync<long>("SELECT count(*) FROM event_outbox"));
    }

    [Fact]
    public async Task Events_written_together_are_claimed_in_the_order_given()
    {
        await using var own = await PostgresDatabase.CreateAsync();
        // Ids in descending order, so that no plan sorting by id could keep the order given by chance.
        var events = Enumerable.Range(0, 200).Select(i => envelopes.StampValidated(new string('b', 64), "outbox.order", true, i, null))
            .OrderByDescending(e => e.EventId).ToList();
        await new PostgresEventOutbox(own.Data).AddAsync(events);
        await using var claim = await new OutboxBacklog(own.Data).ClaimAsync(500, CancellationToken.None);
        Assert.Equal(events.Select(e => e.EventId), claim.Events.Select(e => e.EventId));
    }

    [Fact]
    public async Task A_claim_after_the_claims_in_flight_takes_the_rows_after_them_without_stepping_over_theirs()
    {
        await using var own = await PostgresDatabase.CreateAsync();
        var outbox = new PostgresEventOutbox(own.Data);
        var backlog = new OutboxBacklog(own.Data);
        var events = Enumerable.Range(0, 3_000).Select(i => envelopes.StampValidated(new string('f', 64), "outbox.after", true, i, null)).ToList();
        foreach (var chunk in events.Chunk(500)) await outbox.AddAsync([.. chunk]);
        int Order(PendingEvent e) => events.FindIndex(x => x.EventId == e.EventId);

        // A claim at the broker holds the first 2,000 rows.
        await using var held = await backlog.ClaimAsync(2_000, CancellationToken.None);
        Assert.Equal([.. Enumerable.Range(0, 2_000)], held.Events.Select(Order));

        // From the start, the next claim looks at each of them before it finds its own...
        var before = await own.SettledReadsAsync("event_outbox");
        await using (var fromStart = await backlog.ClaimAsync(500, CancellationToken.None))
            Assert.Equal([.. Enumerable.Range(2_000, 500)], fromStart.Events.Select(Order));
        var steppedOver = await own.SettledReadsAsync("event_outbox", before) - before;
        Assert.True(steppedOver >= 2_500, $"{steppedOver} rows read from the start");

        // ...after the held claim's last position, it reads the same 500 rows and about nothing else.
        before = await own.SettledReadsAsync("event_outbox");
        await using (var after = await backlog.ClaimAsync(500, held.LastPosition, CancellationToken.None))
        {
            Assert.Equal([.. Enumerable.Range(2_000, 500)], after.Events.Select(Order));
            Assert.True(after.LastPosition > held.LastPosition);
        }
        Assert.InRange(await own.SettledReadsAsync("event_outbox", before) - before, 500, 1_000);

        // Nothing after the last row: an empty claim that says where it started.
        await using var none = await backlog.ClaimAsync(10, long.MaxValue - 1, CancellationToken.None);
        Assert.Empty(none.Events);
        Assert.Equal(long.MaxValue - 1, none.LastPosition);
    }

    [Fact]
    public async Task A_settlement_keeps_the_ids_of_the_published_events_it_is_asked_to_guard()
    {
        await using var own = await PostgresDatabase.CreateAsync();
        var events = Enumerable.Range(0, 4).Select(i => envelopes.StampValidated(new string('e', 64), "outbox.guard", true, i, null)).ToList();
        await new PostgresEventOutbox(own.Data).AddAsync(events);
        await own.ExecuteAsync("DELETE FROM event_outbox_written");   // rows as a silo from before sql/0019 wrote them
        var backlog = new OutboxBacklog(own.Data);

        await using (var claim = await backlog.ClaimAsync(10, CancellationToken.None))
        {
            var ids = claim.Events.Select(e => e.EventId).ToList();
            await claim.SettleAsync(new Settlement { Published = ids, Guarded = ids[..1] }, backOff: false, CancellationToken.None);
        }

        Assert.Equal(0L, await own.ScalarAsync<long>("SELECT count(*) FROM event_outbox"));
        Assert.Equal(events[0].EventId, await own.ScalarAsync<Guid>("SELECT event_id FROM event_outbox_written"));
    }

    [Fact]
    public async Task A_claim_gives_each_envelope_as_the_UTF8_bytes_of_its_text()
    {
        await using var own = await PostgresDatabase.CreateAsync();
        // The service's writer escapes what is not ASCII, but a row may hold it raw: characters of
        // two, three and four bytes in UTF-8 go to the broker as those bytes.
        var written = envelopes.StampValidated(new string('d', 64), "outbox.bytes", true, 1, null);
        var text = $$$"""{"event_id":"{{{written.EventId}}}","payload":{"note":"Grüße ✓ 日本 😀"}}""";
        await new PostgresEventOutbox(own.Data).AddAsync([written with { Envelope = text }]);

        await using var claim = await new OutboxBacklog(own.Data).ClaimAsync(10, CancellationToken.None);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(text), Assert.Single(claim.Events).Envelope);
    }

    [Fact]
    public async Task Dead_lettered_rows_and_rows_an_older_relay_marked_published_go_after_the_retention()
    {
        await using var own = await PostgresDatabase.CreateAsync();
        var events = Enumerable.Range(0, 3).Select(i => envelopes.StampValidated(new string('e', 64), "outbox.expiry", true, i, null)).ToList();
        await new PostgresEventOutbox(own.Data).AddAsync(events);
        var backlog = new OutboxBacklog(own.Data);
        await using (var claim = await backlog.ClaimAsync(10, CancellationToken.None))
            await claim.SettleAsync(new Settlement { DeadLettered = [(events[0].EventId, "MsgSizeTooLarge")] }, backOff: false, CancellationToken.None);
        // What a relay from before sql/0019 did with a published event: marked it and kept it.
        await own.ExecuteAsync($"UPDATE event_outbox SET published_at = now() WHERE event_id = '{events[1].EventId}'");
        Assert.Equal(1, await backlog.PendingAsync(CancellationToken.None));

        Assert.Equal(0, await backlog.DeleteExpiredAsync(TimeSpan.FromHours(1), CancellationToken.None));
        await own.ExecuteAsync("UPDATE event_outbox SET published_at = now() - interval '2 hours' WHERE published_at IS NOT NULL");
        // The two rows (the ids were written just now and stay).
        Assert.Equal(2, await backlog.DeleteExpiredAsync(TimeSpan.FromHours(1), CancellationToken.None));
        Assert.Equal(1, await own.ScalarAsync<long>("SELECT count(*) FROM event_outbox"));
        Assert.Equal(events[2].EventId, await own.ScalarAsync<Guid>("SELECT event_id FROM event_outbox"));
    }
}
