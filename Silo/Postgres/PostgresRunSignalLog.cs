using Npgsql;
using NpgsqlTypes;
using OmniBridge.Grains.Interfaces.Codegen.Runs;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Silo.Postgres;

/// <summary>Run signal logs in codegen_run_signals (sql/0016): one multi-row insert per batch, a repeated seq ignored.</summary>
public sealed class PostgresRunSignalLog(NpgsqlDataSource database) : IRunSignalLog
{
    public Task AppendAsync(Guid runId, IReadOnlyList<RunSignal> signals, CancellationToken cancellationToken = default) =>
        signals.Count == 0 ? Task.CompletedTask : PostgresFailure.Guard(async deadline =>
        {
            await using var command = database.CreateCommand("""
                INSERT INTO codegen_run_signals (run_id, seq, signal_id, signal_type, sender, recipients, at, data)
                SELECT @run, s.seq, s.signal_id, s.signal_type, s.sender, coalesce(string_to_array(s.recipients, chr(31)), '{}'), s.at, s.data::jsonb
                FROM unnest(@seqs, @ids, @types, @senders, @recipients, @ats, @datas) AS s(seq, signal_id, signal_type, sender, recipients, at, data)
                ON CONFLICT (run_id, seq) DO NOTHING
                """);
            command.Parameters.Add(new NpgsqlParameter<Guid>("run", runId));
            command.Parameters.Add(new NpgsqlParameter("seqs", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = signals.Select(s => s.Seq).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = signals.Select(s => s.SignalId).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = signals.Select(s => s.SignalType).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("senders", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = signals.Select(s => s.Sender).ToArray() });
            // Recipients travel joined by the unit separator, which no contract or agent name contains; none (everyone) as null,
            // which string_to_array turns into null, hence the coalesce: the column holds an empty array.
            command.Parameters.Add(new NpgsqlParameter("recipients", NpgsqlDbType.Array | NpgsqlDbType.Text)
            { Value = signals.Select(s => s.Recipients.Count == 0 ? null : string.Join('\u001f', s.Recipients)).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("ats", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = signals.Select(s => DateTime.SpecifyKind(s.At, DateTimeKind.Utc)).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("datas", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = signals.Select(s => s.Data).ToArray() });
            await command.ExecuteNonQueryAsync(deadline);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<RunSignal>> ReadAsync(Guid runId, long afterSeq, string? signalType = null, CancellationToken cancellationToken = default) =>
        PostgresFailure.Guard<IReadOnlyList<RunSignal>>(async deadline =>
        {
            await using var command = database.CreateCommand("""
                SELECT seq, signal_id, signal_type, sender, recipients, at, data::text FROM codegen_run_signals
                WHERE run_id = @run AND seq > @after AND (@type::text IS NULL OR signal_type = @type)
                ORDER BY seq
                """);
            command.Parameters.Add(new NpgsqlParameter<Guid>("run", runId));
            command.Parameters.Add(new NpgsqlParameter<long>("after", afterSeq));
            command.Parameters.Add(new NpgsqlParameter("type", NpgsqlDbType.Text) { Value = (object?)signalType ?? DBNull.Value });
            await using var reader = await command.ExecuteReaderAsync(deadline);
            var signals = new List<RunSignal>();
            while (await reader.ReadAsync(deadline))
                signals.Add(new RunSignal
                {
                    Seq = reader.GetInt64(0),
                    SignalId = reader.GetGuid(1),
                    SignalType = reader.GetString(2),
                    Sender = reader.GetString(3),
                    Recipients = reader.GetFieldValue<string[]>(4),
                    At = reader.GetFieldValue<DateTime>(5),
                    Data = reader.GetString(6),
                });
            return signals;
        }, cancellationToken);
}
