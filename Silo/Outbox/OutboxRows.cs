using Npgsql;
using NpgsqlTypes;
using OmniBridge.Grains.Events;

namespace OmniBridge.Silo.Outbox;

/// <summary>
/// Events as event_outbox rows, written by the statement that writes their effect (same
/// transaction). An event id is written once: its id goes into event_outbox_written first, and
/// only an id new there gets a row, so a retried write of the same event changes nothing even
/// after the event was published and its row deleted (docs/protocol.md, "Events").
/// </summary>
static class OutboxRows
{
    /// <summary>Inserts <paramref name="events"/>; each row once.</summary>
    public static NpgsqlBatchCommand Insert(IReadOnlyList<OutboxEvent> events)
    {
        var command = new NpgsqlBatchCommand(StandaloneInsertSql);
        command.Parameters.AddRange(Parameters(events, flags: null));
        return command;
    }

    /// <summary>
    /// The common table expression <c>written</c>: the ids of <see cref="Parameters"/> that are new
    /// in event_outbox_written, recorded there; when <paramref name="flagged"/>, only those of the rows
    /// flagged in @event_always. The others (a stamp's created event, whose id is its stamp's) need no
    /// record: they are written only by the insert that creates their stamp, which happens once
    /// (<see cref="InsertSql"/> takes them from the statement's <c>inserted</c> CTE).
    /// </summary>
    public static string WrittenSql(bool flagged) => $"""
        written AS (
            INSERT INTO event_outbox_written (event_id)
            SELECT e.event_id FROM unnest(@event_ids{(flagged ? ", @event_always" : "")}) AS e(event_id{(flagged ? ", always" : "")})
            {(flagged ? "WHERE e.always" : "")}
            ON CONFLICT (event_id) DO NOTHING
            RETURNING event_id
        )
        """;

    /// <summary>
    /// The INSERT of the rows in <see cref="Parameters"/> whose ids the <c>written</c> CTE
    /// (<see cref="WrittenSql"/>) returned, and when <paramref name="flagged"/> the unflagged rows whose
    /// id is a stamp_id in the statement's <c>inserted</c> CTE; in the order given: a row's position is
    /// the relay's send order.
    /// </summary>
    public static string InsertSql(bool flagged) => $"""
        INSERT INTO event_outbox (event_id, topic, partition_key, event_type, envelope, trace_parent)
        SELECT e.event_id, e.topic, e.partition_key, e.event_type, e.envelope::json, e.trace_parent
        FROM unnest(@event_ids, @event_topics, @event_keys, @event_types, @event_envelopes, @event_trace_parents{(flagged ? ", @event_always" : "")})
             WITH ORDINALITY AS e(event_id, topic, partition_key, event_type, envelope, trace_parent{(flagged ? ", always" : "")}, ordinal)
        WHERE e.event_id IN (SELECT event_id FROM written){(flagged ? " OR (NOT e.always AND e.event_id IN (SELECT stamp_id FROM inserted))" : "")}
        ORDER BY e.ordinal
        ON CONFLICT (event_id) DO NOTHING
        """;

    /// <summary>The ids and rows of <see cref="Insert"/> in one statement of their own; built once, not per call.</summary>
    static readonly string StandaloneInsertSql = $"WITH {WrittenSql(flagged: false)} {InsertSql(flagged: false)}";

    /// <summary>
    /// The rows as parallel arrays @event_ids, @event_topics, @event_keys, @event_types,
    /// @event_envelopes, @event_trace_parents, and, when <paramref name="flags"/> is given, @event_always.
    /// </summary>
    public static NpgsqlParameter[] Parameters(IReadOnlyList<OutboxEvent> events, IReadOnlyList<bool>? flags)
    {
        NpgsqlParameter[] arrays =
        [
            new("event_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = events.Select(e => e.EventId).ToArray() },
            new("event_topics", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.Topic).ToArray() },
            new("event_keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.PartitionKey).ToArray() },
            new("event_types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.EventType).ToArray() },
            new("event_envelopes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.Envelope).ToArray() },
            new("event_trace_parents", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.TraceParent).ToArray() },
        ];
        return flags is null ? arrays : [.. arrays, new("event_always", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { Value = flags.ToArray() }];
    }
}
