using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using OmniBridge.Grains.Ports;
using OmniBridge.Grains.Reducers;

namespace OmniBridge.Silo.Postgres;

/// <summary>
/// Reducer tallies in <c>bridge_states</c>, the stamps still to fold in <c>reducer_backlog</c>, and
/// the workflows each namespace has seen in <c>bridge_workflows</c>, changed together in one transaction.
/// </summary>
public sealed class PostgresNamespaceLedger(NpgsqlDataSource database) : INamespaceLedger
{
    const string Facts = "s.stamp_id, s.file_size, s.content_type, s.file_path, s.created_at, s.processing_time_ms, s.workflow_id";

    /// <summary>The first key of the transaction advisory locks that make folds of one namespace take turns (the second is the namespace's hash).</summary>
    const int FoldTurns = 0x0B1D_6E;

    public Task<SavedTally> LoadAsync(string namespaceName, CancellationToken cancellationToken = default) =>
        PostgresFailure.Guard(async deadline =>
        {
            await using var command = database.CreateCommand("SELECT aggregates::text, version FROM bridge_states WHERE namespace = @namespace");
            command.Parameters.Add(new NpgsqlParameter<string>("namespace", namespaceName));
            await using var reader = await command.ExecuteReaderAsync(deadline);
            return await reader.ReadAsync(deadline)
                ? new SavedTally(JsonSerializer.Deserialize<NamespaceTally>(reader.GetString(0))!, reader.GetInt64(1))
                : new SavedTally(new NamespaceTally(), 0);
        }, cancellationToken);

    public Task<SavedTally?> FoldAsync(string namespaceName, long version, IReadOnlyCollection<Guid>? stampIds, int limit,
        Func<IReadOnlyList<ReducedStamp>, NamespaceTally> fold, CancellationToken cancellationToken = default) =>
        PostgresFailure.Guard(async deadline =>
        {
            await using var connection = await database.OpenConnectionAsync(deadline);
            await using var transaction = await connection.BeginTransactionAsync(deadline);

            // Folds of one namespace take turns: the lock on the saved tally alone does not hold them apart before a
            // namespace's first fold (no row to lock yet), when racing activations claimed backlog rows and wrote the
            // first tally side by side and PostgreSQL could end one of them as a deadlock.
            await using (var turn = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@turns, hashtext(@namespace))", connection, transaction))
            {
                turn.Parameters.Add(new NpgsqlParameter<int>("turns", FoldTurns));
                turn.Parameters.Add(new NpgsqlParameter<string>("namespace", namespaceName));
                await turn.ExecuteNonQueryAsync(deadline);
            }

            // Lock the saved tally: a second activation of the same reducer waits here, then sees the new version.
            await using (var current = new NpgsqlCommand("SELECT version FROM bridge_states WHERE namespace = @namespace FOR UPDATE", connection, transaction))
            {
                current.Parameters.Add(new NpgsqlParameter<string>("namespace", namespaceName));
                if ((await current.ExecuteScalarAsync(deadline) as long? ?? 0) != version) return null;
            }

            // A sweep takes its ids as an array first: as a semi-join (IN) PostgreSQL hashed them against a scan of the
            // namespace's whole backlog once its statistics showed a large one, so each claim cost the backlog's size.
            var stamps = new List<ReducedStamp>();
            await using (var claim = new NpgsqlCommand($"""
                WITH claimed AS (
                    DELETE FROM reducer_backlog b USING metadata_stamps s
                    WHERE b.stamp_id = s.stamp_id AND b.namespace = @namespace
                      AND {(stampIds is null ? "b.stamp_id = ANY(ARRAY(SELECT stamp_id FROM reducer_backlog WHERE namespace = @namespace LIMIT @limit))" : "b.stamp_id = ANY(@ids)")}
                    RETURNING {Facts}
                ), seen AS (
                    INSERT INTO bridge_workflows (namespace, workflow_id)
                    SELECT DISTINCT @namespace, workflow_id FROM claimed WHERE workflow_id IS NOT NULL
                    ON CONFLICT DO NOTHING
                    RETURNING workflow_id
                )
                SELECT c.*, c.workflow_id IN (SELECT workflow_id FROM seen) FROM claimed c ORDER BY c.stamp_id
                """, connection, transaction))
            {
                claim.Parameters.Add(new NpgsqlParameter<string>("namespace", namespaceName));
                claim.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
                claim.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = stampIds?.ToArray() ?? [] });
                await using var reader = await claim.ExecuteReaderAsync(deadline);
                var counted = new HashSet<Guid>();
                while (await reader.ReadAsync(deadline))
                {
                    Guid? workflow = reader.IsDBNull(6) ? null : reader.GetGuid(6);
                    // One stamp of a newly seen workflow carries the news.
                    var first = !reader.IsDBNull(7) && reader.GetBoolean(7) && counted.Add(workflow!.Value);
                    stamps.Add(new ReducedStamp(reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                        reader.GetDateTime(4), reader.GetDouble(5), workflow, first));
                }
            }
            if (stamps.Count == 0) return new SavedTally(fold([]), version);

            var tally = fold(stamps);
            await using (var save = new NpgsqlCommand("""
                INSERT INTO bridge_states (namespace, aggregates, total_stamps, version, updated_at)
                VALUES (@namespace, @aggregates, @total, @version + 1, now())
                ON CONFLICT (namespace) DO UPDATE
                SET aggregates = EXCLUDED.aggregates, total_stamps = EXCLUDED.total_stamps, version = EXCLUDED.version, updated_at = now()
                WHERE bridge_states.version = @version
                """, connection, transaction))
            {
                save.Parameters.Add(new NpgsqlParameter<string>("namespace", namespaceName));
                save.Parameters.Add(new NpgsqlParameter("aggregates", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(tally) });
                save.Parameters.Add(new NpgsqlParameter<long>("total", tally.TotalStamps));
                save.Parameters.Add(new NpgsqlParameter<long>("version", version));
                if (await save.ExecuteNonQueryAsync(deadline) != 1) return null;   // the transaction rolls back on dispose
            }
            await transaction.CommitAsync(deadline);
            return new SavedTally(tally, version + 1, stamps.Count);
        }, cancellationToken);
}
