using Npgsql;

namespace OmniBridge.Silo.Outbox;

/// <summary>
/// An event waiting in event_outbox, as the relay publishes it: <paramref name="Envelope"/> is its text in UTF-8, the
/// message's value as it goes to the broker; <paramref name="Refusals"/> counts the times the broker refused it for itself.
/// </summary>
public sealed record class PendingEvent(Guid EventId, string Topic, string PartitionKey, string EventType, byte[] Envelope, int Attempts, string? TraceParent = null, int Refusals = 0);

/// <summary>
/// The relay's side of event_outbox: claims of due rows in write order (a claimed row is locked by
/// its claim until settled, so relays share the work and a relay that dies leaves its rows to the
/// others at once), the depth of the queue, and the removal of what expired. Claims skip
/// rows another relay holds right now.
/// </summary>
public sealed class OutboxBacklog(NpgsqlDataSource database)
{
    /// <summary>Claims up to <paramref name="max"/> due rows, in write order; the caller settles or disposes the claim.</summary>
    public Task<OutboxClaim> ClaimAsync(int max, CancellationToken cancellationToken) => ClaimAsync(max, 0, cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="max"/> due rows written after position <paramref name="after"/> (a claim's
    /// <see cref="OutboxClaim.LastPosition"/>), in write order. A relay starts after the claims it holds: from the start,
    /// a claim steps over each row they lock (SKIP LOCKED looks at every one).
    /// </summary>
    public async Task<OutboxClaim> ClaimAsync(int max, long after, CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Walk the relay index in write order and stop at the limit, whatever the planner's
            // statistics say: with a stale estimate (the outbox grew fast, as after an outage) it
            // would read and sort the whole backlog, envelopes included, on every claim. And if
            // this relay's machine vanishes without closing its connection, the server ends the
            // claim (and frees its rows) after a minute of silence: a send gives up after 30 s.
            await using (var plan = new NpgsqlCommand("""
                SELECT set_config('enable_sort', 'off', true), set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true),
                       set_config('idle_in_transaction_session_timeout', '60s', true)
                """, connection, transaction))
            {
                await plan.ExecuteNonQueryAsync(cancellationToken);
            }
            // The envelope comes as the bytes the broker takes: read as a string, each event's
            // 1.3 KB was decoded to UTF-16 here and encoded back for the message.
            await using var command = new NpgsqlCommand("""
                SELECT event_id, topic, partition_key, event_type, convert_to(envelope::text, 'UTF8'), attempts, trace_parent, refusals, position
                FROM event_outbox
                WHERE published_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= now()) AND position > @after
                ORDER BY position
                LIMIT @max
                FOR UPDATE SKIP LOCKED
                """, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<int>("max", max));
            command.Parameters.Add(new NpgsqlParameter<long>("after", after));
            var events = new List<PendingEvent>(max);
            var last = after;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    events.Add(new PendingEvent(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<byte[]>(4), reader.GetInt32(5),
                        reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetInt32(7)));
                    last = reader.GetInt64(8);
                }
            }
            return new OutboxClaim(connection, transaction, events, last);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Events not yet published.</summary>
    public async Task<long> PendingAsync(CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT count(*) FROM event_outbox WHERE published_at IS NULL");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Events written to a dead-letter topic instead of their own, as long as their rows are kept (OUTBOX_RETENTION_HOURS).</summary>
    public async Task<long> DeadLetteredAsync(CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT count(*) FROM event_outbox WHERE dead_lettered_at IS NOT NULL");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Forgets what is older than <paramref name="retention"/>: the ids of events written (after
    /// which a write of the same event would be sent again) and the rows of dead-lettered events
    /// (and of events published by a relay from before sql/0019, which kept them), 10,000 per
    /// statement; returns how many ids and rows went.
    /// </summary>
    public async Task<long> DeleteExpiredAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        const int chunk = 10_000;
        long deleted = 0;
        foreach (var sql in (string[])[
            $"DELETE FROM event_outbox WHERE event_id IN (SELECT event_id FROM event_outbox WHERE published_at < now() - @retention LIMIT {chunk})",
            $"DELETE FROM event_outbox_written WHERE ctid IN (SELECT ctid FROM event_outbox_written WHERE written_at < now() - @retention LIMIT {chunk})"])
        {
            while (true)
            {
                await using var command = database.CreateCommand(sql);
                command.Parameters.Add(new NpgsqlParameter<TimeSpan>("retention", retention));
                var rows = await command.ExecuteNonQueryAsync(cancellationToken);
                deleted += rows;
                if (rows < chunk) break;
            }
        }
        return deleted;
    }
}
