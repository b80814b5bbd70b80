using Npgsql;
using NpgsqlTypes;
using OmniBridge.Grains.Interfaces.Codegen.Events;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Silo.Postgres;

/// <summary>event_logs (sql/0017): one multi-row insert per batch, an event id already there ignored; reads in (timestamp, seq) order.</summary>
public sealed class PostgresCodegenEventLog(NpgsqlDataSource database) : ICodegenEventLog
{
    const string Columns = "event_id, session_id, correlation_id, event_type, topic, kafka_partition, kafka_offset, \"timestamp\", status, processing_time_ms, payload::text, error";

    public Task AppendAsync(IReadOnlyList<CodegenEventRecord> events, CancellationToken cancellationToken = default) =>
        events.Count == 0 ? Task.CompletedTask : PostgresFailure.Guard(async deadline =>
        {
            // Within one batch, the first of two events with one id wins, as against the table.
            var unique = events.DistinctBy(e => e.EventId).ToList();
            await using var command = database.CreateCommand("""
                INSERT INTO event_logs (event_id, session_id, correlation_id, event_type, topic, kafka_partition, kafka_offset, "timestamp", status, processing_time_ms, payload, error)
                SELECT e.event_id, e.session_id, e.correlation_id, e.event_type, e.topic, e.kafka_partition, e.kafka_offset, e.at, e.status, e.processing_time_ms, e.payload::jsonb, e.error
                FROM unnest(@ids, @sessions, @correlations, @types, @topics, @partitions, @offsets, @ats, @statuses, @times, @payloads, @errors)
                    WITH ORDINALITY AS e(event_id, session_id, correlation_id, event_type, topic, kafka_partition, kafka_offset, at, status, processing_time_ms, payload, error, n)
                ORDER BY e.n
                ON CONFLICT (event_id) DO NOTHING
                """);
            Add(command, "ids", NpgsqlDbType.Uuid, unique.Select(e => (object)e.EventId));
            Add(command, "sessions", NpgsqlDbType.Uuid, unique.Select(e => (object?)e.SessionId));
            Add(command, "correlations", NpgsqlDbType.Text, unique.Select(e => (object?)e.CorrelationId));
            Add(command, "types", NpgsqlDbType.Text, unique.Select(e => (object)e.EventType));
            Add(command, "topics", NpgsqlDbType.Text, unique.Select(e => (object)e.Topic));
            Add(command, "partitions", NpgsqlDbType.Integer, unique.Select(e => (object?)e.Partition));
            Add(command, "offsets", NpgsqlDbType.Bigint, unique.Select(e => (object?)e.Offset));
            Add(command, "ats", NpgsqlDbType.TimestampTz, unique.Select(e => (object)DateTime.SpecifyKind(e.Timestamp, DateTimeKind.Utc)));
            Add(command, "statuses", NpgsqlDbType.Text, unique.Select(e => (object)e.Status));
            Add(command, "times", NpgsqlDbType.Double, unique.Select(e => (object?)e.ProcessingTimeMs));
            Add(command, "payloads", NpgsqlDbType.Text, unique.Select(e => (object)e.Payload));
            Add(command, "errors", NpgsqlDbType.Text, unique.Select(e => (object?)e.Error));
            await command.ExecuteNonQueryAsync(deadline);
            return true;
        }, cancellationToken);

    static void Add(NpgsqlCommand command, string name, NpgsqlDbType type, IEnumerable<object?> values) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | type) { Value = values.Select(v => v ?? DBNull.Value).ToArray() });

    public Task<IReadOnlyList<CodegenEventRecord>> SessionAsync(Guid sessionId, int limit = 10_000, CancellationToken cancellationToken = default) =>
        ReadAsync($"SELECT {Columns} FROM event_logs WHERE session_id = @key ORDER BY \"timestamp\", seq LIMIT @limit", new NpgsqlParameter<Guid>("key", sessionId), limit, cancellationToken);

    public Task<IReadOnlyList<CodegenEventRecord>> CorrelatedAsync(string correlationId, int limit = 10_000, CancellationToken cancellationToken = default) =>
        ReadAsync($"SELECT {Columns} FROM event_logs WHERE correlation_id = @key ORDER BY \"timestamp\", seq LIMIT @limit", new NpgsqlParameter<string>("key", correlationId), limit, cancellationToken);

    Task<IReadOnlyList<CodegenEventRecord>> ReadAsync(string sql, NpgsqlParameter key, int limit, CancellationToken cancellationToken) =>
        PostgresFailure.Guard<IReadOnlyList<CodegenEventRecord>>(async deadline =>
        {
            await using var command = database.CreateCommand(sql);
            command.Parameters.Add(key);
            command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
            await using var reader = await command.ExecuteReaderAsync(deadline);
            var events = new List<CodegenEventRecord>();
            while (await reader.ReadAsync(deadline))
                events.Add(new CodegenEventRecord
                {
                    EventId = reader.GetGuid(0),
                    SessionId = reader.IsDBNull(1) ? null : reader.GetGuid(1),
                    CorrelationId = reader.IsDBNull(2) ? null : reader.GetString(2),
                    EventType = reader.GetString(3),
                    Topic = reader.GetString(4),
                    Partition = reader.IsDBNull(5) ? null : reader.GetInt32(5),
                    Offset = reader.IsDBNull(6) ? null : reader.GetInt64(6),
                    Timestamp = reader.GetFieldValue<DateTime>(7),
                    Status = reader.GetString(8),
                    ProcessingTimeMs = reader.IsDBNull(9) ? null : reader.GetDouble(9),
                    Payload = reader.GetString(10),
                    Error = reader.IsDBNull(11) ? null : reader.GetString(11),
                });
            return events;
        }, cancellationToken);
}
