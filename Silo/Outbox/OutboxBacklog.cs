using Npgsql;
using NpgsqlTypes;

namespace OmniBridge.Silo.Outbox;

/// <summary>An event waiting in event_outbox, as the relay publishes it.</summary>
public sealed record class PendingEvent(Guid EventId, string Topic, string PartitionKey, string EventType, string Envelope, int Attempts, string? TraceParent = null);

/// <summary>
/// The relay's side of event_outbox: claims of due rows in write order, as leases (a claimed row is
/// not due again until the lease ends, so a relay that dies leaves its rows to the others, and no
/// transaction stays open while the broker is asked), their settlement, the depth of the queue, and
/// the removal of rows published long ago. Claims skip rows another relay is claiming right now.
/// </summary>
public sealed class OutboxBacklog(NpgsqlDataSource database)
{
    /// <summary>Claims up to <paramref name="max"/> due rows for <paramref name="lease"/>, in write order.</summary>
    public async Task<IReadOnlyList<PendingEvent>> ClaimAsync(int max, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            UPDATE event_outbox o SET next_attempt_at = now() + @lease
            FROM (SELECT event_id FROM event_outbox
                  WHERE published_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= now())
                  ORDER BY position
                  LIMIT @max
                  FOR UPDATE SKIP LOCKED) AS due
            WHERE o.event_id = due.event_id
            RETURNING o.event_id, o.topic, o.partition_key, o.event_type, o.envelope::text, o.attempts, o.position, o.trace_parent
            """);
        command.Parameters.Add(new NpgsqlParameter<int>("max", max));
        command.Parameters.Add(new NpgsqlParameter<TimeSpan>("lease", lease));
        var events = new List<(long Position, PendingEvent Event)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add((reader.GetInt64(6),
                    new PendingEvent(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5),
                        reader.IsDBNull(7) ? null : reader.GetString(7))));
            }
        }
        return [.. events.OrderBy(e => e.Position).Select(e => e.Event)];
    }

    /// <summary>
    /// Marks <paramref name="published"/> rows published and counts an attempt on the
    /// <paramref name="failed"/> ones, with their error. A failed row is due again at once, or, when
    /// <paramref name="backOff"/>, after 2^attempts seconds (at most 5 minutes).
    /// </summary>
    public async Task SettleAsync(IReadOnlyList<Guid> published, IReadOnlyList<(Guid EventId, string Error)> failed, bool backOff, CancellationToken cancellationToken)
    {
        await using var batch = database.CreateBatch();
        var done = new NpgsqlBatchCommand("""
            UPDATE event_outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL, next_attempt_at = NULL
            WHERE event_id = ANY(@ids)
            """);
        done.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = published.ToArray() });
        batch.BatchCommands.Add(done);
        var refused = new NpgsqlBatchCommand("""
            UPDATE event_outbox o
            SET attempts = o.attempts + 1, last_error = f.error,
                next_attempt_at = CASE WHEN @back_off THEN now() + least(interval '1 second' * power(2, least(o.attempts, 9)), interval '5 minutes') END
            FROM unnest(@ids, @errors) AS f(event_id, error)
            WHERE o.event_id = f.event_id
            """);
        refused.Parameters.Add(new NpgsqlParameter<bool>("back_off", backOff));
        refused.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = failed.Select(f => f.EventId).ToArray() });
        refused.Parameters.Add(new NpgsqlParameter("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = failed.Select(f => f.Error).ToArray() });
        batch.BatchCommands.Add(refused);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Events not yet published.</summary>
    public async Task<long> PendingAsync(CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT count(*) FROM event_outbox WHERE published_at IS NULL");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Deletes every row published more than <paramref name="retention"/> ago, 10,000 per statement; returns how many.</summary>
    public async Task<long> DeletePublishedAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        const int chunk = 10_000;
        long deleted = 0;
        while (true)
        {
            await using var command = database.CreateCommand($"""
                DELETE FROM event_outbox WHERE event_id IN (
                    SELECT event_id FROM event_outbox WHERE published_at < now() - @retention LIMIT {chunk})
                """);
            command.Parameters.Add(new NpgsqlParameter<TimeSpan>("retention", retention));
            var rows = await command.ExecuteNonQueryAsync(cancellationToken);
            deleted += rows;
            if (rows < chunk) return deleted;
        }
    }
}
