using Npgsql;
using NpgsqlTypes;

namespace OmniBridge.Silo.Outbox;

/// <summary>
/// Due rows of event_outbox held by one relay while it sends them: the rows stay locked by the
/// claim's transaction (other relays skip them) until they are settled, and a relay that dies
/// releases them with its connection, due again at once. Settling writes each row once.
/// </summary>
public sealed class OutboxClaim : IAsyncDisposable
{
    readonly NpgsqlConnection connection;
    readonly NpgsqlTransaction transaction;

    internal OutboxClaim(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<PendingEvent> events)
    {
        this.connection = connection;
        this.transaction = transaction;
        Events = events;
    }

    /// <summary>The claimed events, in write order.</summary>
    public IReadOnlyList<PendingEvent> Events { get; }

    /// <summary>
    /// Marks <paramref name="published"/> rows published and counts an attempt on the
    /// <paramref name="failed"/> ones, with their error, and lets the rows go. A failed row is due
    /// again at once, or, when <paramref name="backOff"/>, after 2^attempts seconds (at most 5 minutes).
    /// </summary>
    public async Task SettleAsync(IReadOnlyList<Guid> published, IReadOnlyList<(Guid EventId, string Error)> failed, bool backOff, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (published.Count > 0)
        {
            var done = new NpgsqlBatchCommand("""
                UPDATE event_outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL, next_attempt_at = NULL
                WHERE event_id = ANY(@ids)
                """);
            done.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = published.ToArray() });
            batch.BatchCommands.Add(done);
        }
        if (failed.Count > 0)
        {
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
        }
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Lets unsettled rows go as they were (the transaction rolls back), and returns the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
