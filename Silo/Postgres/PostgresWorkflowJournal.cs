using Npgsql;
using NpgsqlTypes;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Workflows;
using OmniBridge.Grains.Ports;
using OmniBridge.Silo.Outbox;

namespace OmniBridge.Silo.Postgres;

/// <summary>
/// Workflows as rows operators can query: workflow_executions, workflow_steps, fsm_transitions.
/// Each record is one round trip of upserts, so recording the same workflow twice changes nothing.
/// </summary>
public sealed class PostgresWorkflowJournal(NpgsqlDataSource database) : IWorkflowJournal
{
    static readonly string[] ReadQueries =
    [
        "SELECT namespace, state, item_count, error_code, error_message, created_at FROM workflow_executions WHERE workflow_id = @id",
        "SELECT step_name, status, attempts, started_at, duration_ms, error FROM workflow_steps WHERE workflow_id = @id",
        "SELECT from_state, to_state, at FROM fsm_transitions WHERE workflow_id = @id ORDER BY transition_id",
    ];

    public Task RecordAsync(WorkflowView workflow, IReadOnlyList<OutboxEvent>? events = null, CancellationToken cancellationToken = default) =>
        PostgresFailure.Guard(async deadline =>
        {
            await using var batch = database.CreateBatch();
            var execution = new NpgsqlBatchCommand("""
                INSERT INTO workflow_executions (workflow_id, namespace, state, item_count, error_code, error_message, created_at, updated_at, completed_at)
                VALUES (@id, @namespace, @state, @items, @error_code, @error_message, @created_at, now(),
                        CASE WHEN @state IN ('completed', 'failed') THEN now() END)
                ON CONFLICT (workflow_id) DO UPDATE
                SET state = EXCLUDED.state, error_code = EXCLUDED.error_code, error_message = EXCLUDED.error_message,
                    updated_at = now(), completed_at = COALESCE(workflow_executions.completed_at, EXCLUDED.completed_at)
                """);
            execution.Parameters.Add(new NpgsqlParameter<Guid>("id", workflow.WorkflowId));
            execution.Parameters.Add(new NpgsqlParameter<string>("namespace", workflow.Namespace));
            execution.Parameters.Add(new NpgsqlParameter<string>("state", workflow.State.Wire()));
            execution.Parameters.Add(new NpgsqlParameter<int>("items", workflow.ItemCount));
            execution.Parameters.Add(new NpgsqlParameter("error_code", NpgsqlDbType.Text) { Value = (object?)workflow.ErrorCode ?? DBNull.Value });
            execution.Parameters.Add(new NpgsqlParameter("error_message", NpgsqlDbType.Text) { Value = (object?)workflow.ErrorMessage ?? DBNull.Value });
            execution.Parameters.Add(new NpgsqlParameter<DateTime>("created_at", workflow.CreatedAt));
            batch.BatchCommands.Add(execution);

            var steps = new NpgsqlBatchCommand("""
                INSERT INTO workflow_steps (workflow_id, step_name, status, attempts, started_at, duration_ms, error)
                SELECT @id, * FROM unnest(@names, @statuses, @attempts, @started, @durations, @errors)
                ON CONFLICT (workflow_id, step_name) DO UPDATE
                SET status = EXCLUDED.status, attempts = EXCLUDED.attempts, started_at = EXCLUDED.started_at,
                    duration_ms = EXCLUDED.duration_ms, error = EXCLUDED.error
                """);
            steps.Parameters.Add(new NpgsqlParameter<Guid>("id", workflow.WorkflowId));
            steps.Parameters.Add(new NpgsqlParameter("names", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = workflow.Steps.Select(s => s.Name).ToArray() });
            steps.Parameters.Add(new NpgsqlParameter("statuses", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = workflow.Steps.Select(s => s.Status).ToArray() });
            steps.Parameters.Add(new NpgsqlParameter("attempts", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = workflow.Steps.Select(s => s.Attempts).ToArray() });
            steps.Parameters.Add(new NpgsqlParameter("started", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = workflow.Steps.Select(s => s.StartedAt).ToArray() });
            steps.Parameters.Add(new NpgsqlParameter("durations", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = workflow.Steps.Select(s => s.DurationMs).ToArray() });
            steps.Parameters.Add(new NpgsqlParameter("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = workflow.Steps.Select(s => s.Error).ToArray() });
            batch.BatchCommands.Add(steps);

            var transitions = new NpgsqlBatchCommand("""
                INSERT INTO fsm_transitions (workflow_id, from_state, to_state, at)
                SELECT @id, * FROM unnest(@from, @to, @at)
                ON CONFLICT (workflow_id, from_state, to_state) DO NOTHING
                """);
            transitions.Parameters.Add(new NpgsqlParameter<Guid>("id", workflow.WorkflowId));
            transitions.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = workflow.History.Select(t => t.From.Wire()).ToArray() });
            transitions.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = workflow.History.Select(t => t.To.Wire()).ToArray() });
            transitions.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = workflow.History.Select(t => t.At).ToArray() });
            batch.BatchCommands.Add(transitions);
            // The transition events, in the same (implicit) transaction as the transitions themselves.
            if (events is { Count: > 0 }) batch.BatchCommands.Add(OutboxRows.Insert(events));

            await batch.ExecuteNonQueryAsync(deadline);
            return true;
        }, cancellationToken);

    public Task<WorkflowView?> ReadAsync(Guid workflowId, CancellationToken cancellationToken = default) =>
        PostgresFailure.Guard(async deadline =>
        {
            await using var batch = database.CreateBatch();
            foreach (var sql in ReadQueries)
            {
                var command = new NpgsqlBatchCommand(sql);
                command.Parameters.Add(new NpgsqlParameter<Guid>("id", workflowId));
                batch.BatchCommands.Add(command);
            }
            await using var reader = await batch.ExecuteReaderAsync(deadline);
            if (!await reader.ReadAsync(deadline)) return null;
            var (ns, state, items, code, message, created) = (reader.GetString(0), WireNames.Parse<WorkflowPhase>(reader.GetString(1)), reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetDateTime(5));

            await reader.NextResultAsync(deadline);
            var steps = new List<WorkflowStepView>();
            while (await reader.ReadAsync(deadline))
            {
                steps.Add(new WorkflowStepView
                {
                    Name = reader.GetString(0),
                    Status = reader.GetString(1),
                    Attempts = reader.GetInt32(2),
                    StartedAt = reader.IsDBNull(3) ? null : reader.GetDateTime(3),
                    DurationMs = reader.IsDBNull(4) ? null : reader.GetDouble(4),
                    Error = reader.IsDBNull(5) ? null : reader.GetString(5),
                });
            }

            await reader.NextResultAsync(deadline);
            var history = new List<WorkflowTransition>();
            while (await reader.ReadAsync(deadline))
            {
                history.Add(new WorkflowTransition { From = WireNames.Parse<WorkflowPhase>(reader.GetString(0)), To = WireNames.Parse<WorkflowPhase>(reader.GetString(1)), At = reader.GetDateTime(2) });
            }
            return new WorkflowView
            {
                WorkflowId = workflowId,
                Namespace = ns,
                State = state,
                ItemCount = items,
                CreatedAt = created,
                ErrorCode = code,
                ErrorMessage = message,
                Steps = steps,
                History = history,
            };
        }, cancellationToken);

}
