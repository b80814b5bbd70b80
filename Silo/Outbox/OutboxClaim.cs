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

    internal OutboxClaim(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<PendingEvent> events, long lastPosition)
    {
        this.connection = connection;
        this.transaction = transaction;
        Events = events;
        LastPosition = lastPosition;
    }

    /// <summary>The claimed events, in write order.</summary>
    public IReadOnlyList<PendingEvent> Events { get; }

    /// <summary>The outbox position of the last event claimed (where the claim started when it took none).</summary>
    public long LastPosition { get; }

    /// <summary>
    /// Writes how each event went, and lets the rows go: published rows are deleted; a failed row
    /// (not its fault: a broker away, a timeout) counts an attempt and is due again at once, or,
    /// when <paramref name="backOff"/>, after 2^attempts seconds (at most 5 minutes); a refused row
    /// (its own fault: too large, malformed) counts a refusal too and is due again after
    /// 2^(refusals - 1) seconds; a dead-lettered row leaves the outbox (published_at and
    /// dead_lettered_at set). Every failure keeps its error in last_error.
    /// </summary>
    public async Task SettleAsync(Settlement settlement, bool backOff, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (settlement.Published.Count > 0)
        {
            // Published rows go; their ids stay in event_outbox_written, which refuses a second write.
            // The ids are written again first (usually one index probe finding each): a row may have
            // none, written by a silo from before sql/0019 or waiting longer than the ids are kept.
            // First, so that a writer racing with this settlement only ever waits for it, never the
            // other way round. Not those a second write cannot reach (Settlement.Guarded).
            var ids = settlement.Published.ToArray();
            var guarded = settlement.Guarded?.ToArray() ?? ids;
            if (guarded.Length > 0)
            {
                var known = new NpgsqlBatchCommand("INSERT INTO event_outbox_written (event_id) SELECT unnest(@ids) ON CONFLICT (event_id) DO NOTHING");
                known.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = guarded });
                batch.BatchCommands.Add(known);
            }
            var done = new NpgsqlBatchCommand("DELETE FROM event_outbox WHERE event_id = ANY(@ids)");
            done.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids });
            batch.BatchCommands.Add(done);
        }
        Failures(batch, settlement.Failed, "next_attempt_at = CASE WHEN @back_off THEN now() + least(interval '1 second' * power(2, least(o.attempts, 9)), interval '5 minutes') END",
            new NpgsqlParameter<bool>("back_off", backOff));
        Failures(batch, settlement.Refused, "refusals = o.refusals + 1, next_attempt_at = now() + interval '1 second' * power(2, least(o.refusals, 8))");
        Failures(batch, settlement.DeadLettered, "refusals = o.refusals + 1, next_attempt_at = NULL, published_at = now(), dead_lettered_at = now()");
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Counts an attempt on each of <paramref name="rows"/> with its error, and sets <paramref name="assignments"/>.</summary>
    static void Failures(NpgsqlBatch batch, IReadOnlyList<(Guid EventId, string Error)> rows, string assignments, params NpgsqlParameter[] parameters)
    {
        if (rows.Count == 0) return;
        var command = new NpgsqlBatchCommand($"""
            UPDATE event_outbox o
            SET attempts = o.attempts + 1, last_error = f.error, {assignments}
            FROM unnest(@ids, @errors) AS f(event_id, error)
            WHERE o.event_id = f.event_id
            """);
        command.Parameters.AddRange(parameters);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(f => f.EventId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(f => f.Error).ToArray() });
        batch.BatchCommands.Add(command);
    }

    /// <summary>Lets unsettled rows go as they were (the transaction rolls back), and returns the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}

/// <summary>How the events of one claim went, for <see cref="OutboxClaim.SettleAsync"/>.</summary>
public sealed record class Settlement
{
    /// <summary>Acknowledged by the broker.</summary>
    public IReadOnlyList<Guid> Published { get; init; } = [];

    /// <summary>
    /// Those of <see cref="Published"/> whose ids event_outbox_written keeps, to refuse a second write; null: all of them.
    /// A stamp's created event needs none: only the insert that creates its stamp writes it.
    /// </summary>
    public IReadOnlyList<Guid>? Guarded { get; init; }

    /// <summary>Not taken, for a reason outside the event (no broker, a timeout): tried again as it was.</summary>
    public IReadOnlyList<(Guid EventId, string Error)> Failed { get; init; } = [];

    /// <summary>Refused for itself (too large, malformed), not yet for the last time.</summary>
    public IReadOnlyList<(Guid EventId, string Error)> Refused { get; init; } = [];

    /// <summary>Refused for itself for the last time, and written to its dead-letter topic.</summary>
    public IReadOnlyList<(Guid EventId, string Error)> DeadLettered { get; init; } = [];
}
