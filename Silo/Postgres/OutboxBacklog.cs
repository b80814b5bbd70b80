using Npgsql;
using NpgsqlTypes;

namespace OmniBridge.Silo.Postgres;

/// <summary>An event waiting in event_outbox, as the relay publishes it.</summary>
public sealed record class PendingEvent(Guid EventId, string Topic, string PartitionKey, string EventType, string Envelope, int Attempts);

/// <summary>
/// The relay's side of event_outbox: claims of pending rows in write order, skipping rows another
/// relay holds (so several silos relay at once, each row by one of them), their settlement, the
/// depth of the queue, and the removal of rows published long ago.
/// </summary>
public sealed class OutboxBacklog(NpgsqlDataSource database)
{
    /// <summary>Claims up to <paramref name="max"/> due rows; they stay locked until the claim is settled or disposed.</summary>
    public async Task<OutboxClaim> ClaimAsync(int max, CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("""
                SELECT event_id, topic, partition_key, event_type, envelope::text, attempts
                FROM event_outbox
                WHERE published_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= now())
                ORDER BY position
                LIMIT @max
                FOR UPDATE SKIP LOCKED
                """, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<int>("max", max));
            var events = new List<PendingEvent>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                    events.Add(new PendingEvent(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5)));
            }
            return new OutboxClaim(connection, transaction, events);
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

    /// <summary>Deletes up to 10,000 rows published more than <paramref name="retention"/> ago; returns how many.</summary>
    public async Task<int> DeletePublishedAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            DELETE FROM event_outbox WHERE event_id IN (
                SELECT event_id FROM event_outbox WHERE published_at < now() - @retention LIMIT 10000)
            """);
        command.Parameters.Add(new NpgsqlParameter<TimeSpan>("retention", retention));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>Claimed outbox rows, locked by an open transaction until <see cref="SettleAsync"/> (or released on dispose).</summary>
public sealed class OutboxClaim(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<PendingEvent> events) : IAsyncDisposable
{
    public IReadOnlyList<PendingEvent> Events { get; } = events;

    /// <summary>
    /// Marks <paramref name="published"/> rows published and counts an attempt on the
    /// <paramref name="failed"/> ones, with their error; when <paramref name="backOff"/>, a failed
    /// row waits (2^attempts seconds, at most 5 minutes) before it is claimed again.
    /// </summary>
    public async Task SettleAsync(IReadOnlyList<Guid> published, IReadOnlyList<(Guid EventId, string Error)> failed, bool backOff, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        var done = new NpgsqlBatchCommand("UPDATE event_outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE event_id = ANY(@ids)");
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
        await transaction.CommitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
